"""The composition root and the programs around the services: the CLI, the runner, migrations, the demo and
the simulators of outside systems. Imports services and shared; nothing imports it."""
