from services.dispatch import handlers
from shared.extensions.database import Store
from shared.extensions.observed import Observed
from shared.messaging.entrypoint import chain_handler


class DispatchService:
    name = "dispatch"
    store = Store()
    obs = Observed()

    @chain_handler("triaged", "registered")
    def dispatch(self, event):
        handlers.dispatch_case(self.store, event)

    @chain_handler("escalated", above=True)
    def taken_up(self, event):
        handlers.taken_up(self.store, event)

    @chain_handler("task_accepted", "task_returned", "task_resolved")
    def task_from_above(self, event):
        """A summoned unit's act on its sub-task, recorded at its own center (an ancestor following the case)."""
        handlers.task_from_above(self.store, event)

    @chain_handler(subtree=True)
    def summoned(self, event):
        """A township's whistle (or a joint) below that gives this center's departments sub-tasks: tell them."""
        handlers.summoned(self.store, event)

    @chain_handler(*handlers.LEAD_EVENTS)
    def refresh_tasks(self, event):
        """The lead's sub-task follows the case: keep the case's sub-tasks (case_task) in step."""
        handlers.refresh_tasks(self.store, event)
