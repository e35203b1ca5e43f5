-- A township center's database (320612001) as the release before migrations (commit fb09d20) left it: the schema its
-- create_all made and a few rows in every table, from driving that release's center through its HTTP API (tokens and
-- sign-ins, grid and desk reports with a photo, an Open311 request, sensor alerts and heartbeats, two 12345 orders
-- with their updates and visits, accept / resolve / verify / supervise, notifications read) and stopping it.
-- Made with `pg_dump --no-owner --no-privileges --column-inserts`; loaded by tests/interface/test_migrations.py.
--
-- PostgreSQL database dump
--

\restrict D1IA9RAHwupVemIL8zq3Ex8pelaWO51MljW5cn4DvENgbAYq07bsiNj8Iiq3YBY

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: action_key; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_key (
    scope character varying(80) NOT NULL,
    key character varying(128) NOT NULL,
    case_id character varying(40) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: browser_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.browser_session (
    id character varying(64) NOT NULL,
    token_id integer,
    role character varying(16) NOT NULL,
    region character varying(12) NOT NULL,
    unit character varying(64),
    name character varying(80) NOT NULL,
    csrf character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone
);


--
-- Name: case; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."case" (
    id character varying(40) NOT NULL,
    status character varying(16) NOT NULL,
    source character varying(16) NOT NULL,
    external_ref character varying(64),
    description character varying NOT NULL,
    category character varying(16),
    priority character varying(8) NOT NULL,
    lon double precision,
    lat double precision,
    address character varying,
    region character varying(12) NOT NULL,
    center character varying(12) NOT NULL,
    unit character varying(64),
    assisting_units json NOT NULL,
    return_count integer NOT NULL,
    rework_count integer NOT NULL,
    supervision_level integer NOT NULL,
    extension_count integer NOT NULL,
    extension_pending boolean NOT NULL,
    merged_into character varying(40),
    reporters_count integer NOT NULL,
    satisfaction character varying,
    returned_by json NOT NULL,
    media json NOT NULL,
    team character varying(64),
    group_key character varying(120),
    alert_count integer NOT NULL,
    deadline_caps json NOT NULL,
    occurred_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    triage_rule character varying(64),
    traceparent character varying(64)
);


--
-- Name: case_deadline; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_deadline (
    case_id character varying(40) NOT NULL,
    stage character varying(12),
    stage_started_at timestamp with time zone,
    sign_due timestamp with time zone,
    resolve_due timestamp with time zone,
    verify_due timestamp with time zone,
    feedback_due timestamp with time zone,
    light character varying(8) NOT NULL,
    overdue boolean NOT NULL,
    warned json NOT NULL,
    pending_extension json,
    next_check_at timestamp with time zone
);


--
-- Name: case_number; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.case_number
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counter (
    name character varying(32) NOT NULL,
    value integer NOT NULL
);


--
-- Name: hotline_update; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hotline_update (
    id integer NOT NULL,
    event_id character varying(36) NOT NULL,
    order_no character varying(64) NOT NULL,
    case_id character varying(40) NOT NULL,
    status character varying(16) NOT NULL,
    message character varying NOT NULL,
    unit character varying(64),
    at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    attempts integer NOT NULL,
    last_error character varying,
    sent_at timestamp with time zone
);


--
-- Name: hotline_update_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.hotline_update_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: hotline_update_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.hotline_update_id_seq OWNED BY public.hotline_update.id;


--
-- Name: hotline_visit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hotline_visit (
    order_no character varying(64) NOT NULL,
    visited_at timestamp with time zone NOT NULL,
    case_id character varying(40) NOT NULL,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: idempotency_key; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_key (
    scope character varying(80) NOT NULL,
    key character varying(128) NOT NULL,
    request_hash character varying(64) NOT NULL,
    case_id character varying(40) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: inbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inbox (
    consumer character varying(80) NOT NULL,
    event_id character varying(36) NOT NULL,
    processed_at timestamp with time zone NOT NULL
);


--
-- Name: live_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.live_event (
    id integer NOT NULL,
    seq integer,
    name character varying(32) NOT NULL,
    case_id character varying(40),
    status character varying(16),
    light character varying(8),
    unit character varying(64),
    region character varying(12) NOT NULL,
    center character varying(12) NOT NULL,
    at timestamp with time zone NOT NULL,
    audience json,
    data json
);


--
-- Name: live_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.live_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: live_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.live_event_id_seq OWNED BY public.live_event.id;


--
-- Name: media; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.media (
    id character varying(48) NOT NULL,
    sha256 character varying(64) NOT NULL,
    content_type character varying(32) NOT NULL,
    size integer NOT NULL,
    taken_at timestamp with time zone,
    lon double precision,
    lat double precision,
    uploader character varying(80) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: media_use; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.media_use (
    media_id character varying(48) NOT NULL,
    case_id character varying(40) NOT NULL
);


--
-- Name: notification; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification (
    id integer NOT NULL,
    cause character varying(120) NOT NULL,
    kind character varying(24) NOT NULL,
    case_id character varying(40) NOT NULL,
    center character varying(12) NOT NULL,
    region character varying(12) NOT NULL,
    role character varying(16) NOT NULL,
    unit character varying(64),
    title character varying(120) NOT NULL,
    body character varying NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: notification_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notification_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notification_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notification_id_seq OWNED BY public.notification.id;


--
-- Name: notification_read; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification_read (
    notification_id integer NOT NULL,
    reader character varying(80) NOT NULL,
    read_at timestamp with time zone NOT NULL
);


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id integer NOT NULL,
    event_id character varying(36) NOT NULL,
    case_id character varying(40) NOT NULL,
    routing_key character varying(200) NOT NULL,
    body character varying NOT NULL,
    traceparent character varying(64),
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone
);


--
-- Name: outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;


--
-- Name: reporter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reporter (
    id integer NOT NULL,
    case_id character varying(40) NOT NULL,
    reported_case_id character varying(40) NOT NULL,
    source character varying(16) NOT NULL,
    external_ref character varying(64),
    channel character varying(16),
    name character varying(40),
    phone_sealed character varying,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: reporter_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.reporter_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: reporter_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.reporter_id_seq OWNED BY public.reporter.id;


--
-- Name: sensor; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sensor (
    sensor_id character varying(64) NOT NULL,
    kind character varying(40) NOT NULL,
    lon double precision NOT NULL,
    lat double precision NOT NULL,
    address character varying,
    last_seen_at timestamp with time zone NOT NULL,
    next_due_at timestamp with time zone,
    offline_case_id character varying(40)
);


--
-- Name: timeline; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.timeline (
    id integer NOT NULL,
    event_id character varying(36) NOT NULL,
    case_id character varying(40) NOT NULL,
    at timestamp with time zone NOT NULL,
    type character varying(32) NOT NULL,
    center character varying(12) NOT NULL,
    actor character varying(80) NOT NULL,
    unit character varying(64),
    note character varying,
    data json NOT NULL
);


--
-- Name: timeline_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.timeline_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: timeline_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.timeline_id_seq OWNED BY public.timeline.id;


--
-- Name: token; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.token (
    id integer NOT NULL,
    token_hash character varying(64) NOT NULL,
    role character varying(16) NOT NULL,
    region character varying(12) NOT NULL,
    unit character varying(64),
    name character varying(80) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);


--
-- Name: token_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.token_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: token_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.token_id_seq OWNED BY public.token.id;


--
-- Name: hotline_update id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotline_update ALTER COLUMN id SET DEFAULT nextval('public.hotline_update_id_seq'::regclass);


--
-- Name: live_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.live_event ALTER COLUMN id SET DEFAULT nextval('public.live_event_id_seq'::regclass);


--
-- Name: notification id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification ALTER COLUMN id SET DEFAULT nextval('public.notification_id_seq'::regclass);


--
-- Name: outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);


--
-- Name: reporter id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reporter ALTER COLUMN id SET DEFAULT nextval('public.reporter_id_seq'::regclass);


--
-- Name: timeline id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timeline ALTER COLUMN id SET DEFAULT nextval('public.timeline_id_seq'::regclass);


--
-- Name: token id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.token ALTER COLUMN id SET DEFAULT nextval('public.token_id_seq'::regclass);


--
-- Data for Name: action_key; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:8', 'b5349fc2-d5f1-4225-b42e-c25d49add990', '320612001-20261124-000001', '2026-11-24 11:38:08.70725+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:8', '9105639b-b3bf-4fcc-9b79-cbc19aef0268', '320612001-20261124-000001', '2026-11-24 11:38:08.72505+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:1', '48234a03-7f18-459f-90c8-143957244f3f', '320612001-20261124-000001', '2026-11-24 11:38:08.743782+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:9', 'f2c61dfd-32bc-46d6-993e-68ccdea0cf05', '320612001-20261124-000002', '2026-11-24 11:38:08.780506+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:9', '137f1530-f880-4ec0-9f24-f075947fb52f', '320612001-20261124-000002', '2026-11-24 11:38:08.796095+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:1', '6b5a32b6-7216-4fa8-b10c-36e906784a71', '320612001-20261124-000002', '2026-11-24 11:38:08.813959+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:10', 'd3a668ed-df21-44de-a093-cb89cec05c94', '320612001-20261124-000004', '2026-11-24 11:38:08.847028+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:10', '8a76bc2e-7be3-4e07-8d5e-3b64716b234a', '320612001-20261124-000004', '2026-11-24 11:38:08.872838+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:1', '000421b2-92ba-4b43-a4a4-83d0b498b005', '320612001-20261124-000004', '2026-11-24 11:38:08.896776+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:8', '0c15dd4e-e2d8-4dd4-ae53-4e67c2277b29', '320612001-20261124-000007', '2026-11-24 11:38:08.925663+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:8', 'f8b8bc45-5cfe-4314-99ca-91b121f47da0', '320612001-20261124-000007', '2026-11-24 11:38:08.942084+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:1', 'fdadfd7f-41de-4030-8223-ec1e5239b811', '320612001-20261124-000007', '2026-11-24 11:38:08.958876+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:11', '82077f40-f3c7-4f10-bf92-bdc1b35ccb18', '320612001-20261124-000008', '2026-11-24 11:38:08.984103+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:11', 'c2c20e1b-c2bc-4ddb-aaff-b50c4903d8b7', '320612001-20261124-000008', '2026-11-24 11:38:08.998399+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:1', '8b677745-eb0e-4dd1-9535-96d57b6456e5', '320612001-20261124-000008', '2026-11-24 11:38:09.016102+00');
INSERT INTO public.action_key (scope, key, case_id, created_at) VALUES ('token:8', '1a626f30-3b8d-4a77-8ad7-0d26dc52a035', '320612001-20261124-000003', '2026-11-24 11:38:09.038228+00');


--
-- Data for Name: browser_session; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.browser_session (id, token_id, role, region, unit, name, csrf, created_at, expires_at, ended_at) VALUES ('e4ad9ac47dbf4b6d55321f4c41b7f8453a42df45fe6cf16aadf30a876333baf1', 2, 'dispatcher', '320612001', NULL, '值班长王芳', '4zSLo04BsZbnfAOv3tp6hSjtdx5EEr5s', '2026-11-24 11:38:08.25365+00', '2026-11-24 23:38:08.25365+00', NULL);
INSERT INTO public.browser_session (id, token_id, role, region, unit, name, csrf, created_at, expires_at, ended_at) VALUES ('ec9d4ea7810366bfd91c1ed44a1423fbb7701ad1cd9b46be2d2b10245e4bcb5b', 3, 'viewer', '320612001', NULL, '指挥大厅', 'x9lxvKGMP6EfTzZIC1JzjZkiX11LBzOj', '2026-11-24 11:38:08.280019+00', '2026-11-24 23:38:08.280019+00', '2026-11-24 11:38:08.283168+00');


--
-- Data for Name: case; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000006', 'dispatched', 'sensor', NULL, '道路积水超警（传感器 WL-JS-007，预警）：监测值 0.8，阈值 0.5', '1402', 'urgent', 121.072, 32.079, '金沙东路下穿', '320612001', '320612001', '320612001.municipal', '[]', 0, 0, 0, 0, false, NULL, 1, NULL, '[]', '[]', NULL, 'waterlogging:300m:11890:38023', 2, '{}', '2026-11-24 11:38:08.466159+00', '2026-11-24 11:38:08.491066+00', '2026-11-24 11:38:08.536625+00', NULL, 'urgent-sensor-here', '00-3c666bc5ecd7b40950e73c475b90266d-dcca85e8e8f47d71-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000005', 'dispatched', 'open311', NULL, '路边堆放建筑垃圾', '1101', 'normal', 121.069, 32.081, '金乐路88号', '320612001', '320612001', '320612001.sanitation', '[]', 0, 0, 0, 0, false, NULL, 1, NULL, '[]', '[]', '320612001.sanitation.t2', NULL, 0, '{}', NULL, '2026-11-24 11:38:08.449562+00', '2026-11-24 11:38:08.507978+00', NULL, 'default', '00-af2b64e4fb56c410733e810f04e082a1-9784f0d5bab65542-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000001', 'closed', 'grid', NULL, '人民路12号污水井盖破损，夜间危险', '0102', 'high', 121.07, 32.08, '人民路12号', '320612001', '320612001', '320612001.municipal', '[]', 0, 0, 0, 0, false, NULL, 1, NULL, '[]', '["m_OMhNqA-MOeyBTIOAddU-PzAR"]', '320612001.municipal.t2', NULL, 0, '{}', NULL, '2026-11-24 11:38:08.313862+00', '2026-11-24 11:38:08.755237+00', '2026-11-24 11:38:08.755229+00', 'default', '00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000002', 'closed', 'grid', NULL, '金沙中学门口占道经营的流动摊贩', '1501', 'normal', 121.074, 32.083, '金沙中学门口', '320612001', '320612001', '320612001.chengguan', '[]', 0, 0, 0, 0, false, NULL, 1, NULL, '[]', '[]', '320612001.chengguan.t1', NULL, 0, '{}', NULL, '2026-11-24 11:38:08.339494+00', '2026-11-24 11:38:08.820471+00', '2026-11-24 11:38:08.82046+00', 'default', '00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000004', 'closed', 'desk', NULL, '小区门口垃圾满溢三天无人清运', '1101', 'normal', 121.071, 32.086, '金沙花园北门', '320612001', '320612001', '320612001.sanitation', '[]', 0, 0, 0, 0, false, NULL, 1, NULL, '[]', '[]', '320612001.sanitation.t1', NULL, 0, '{}', NULL, '2026-11-24 11:38:08.415406+00', '2026-11-24 11:38:08.902824+00', '2026-11-24 11:38:08.902814+00', 'default', '00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000003', 'accepted', 'grid', NULL, '建设路与新金路交叉口路灯不亮', '0109', 'normal', 121.066, 32.077, '建设路新金路口', '320612001', '320612001', '320612001.municipal', '[]', 0, 0, 0, 0, false, NULL, 1, NULL, '[]', '[]', NULL, NULL, 0, '{}', NULL, '2026-11-24 11:38:08.371597+00', '2026-11-24 11:38:09.034216+00', NULL, 'default', '00-8dfa4ceaadd672568da043d141990a8d-cd67e0ffce67ae77-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000008', 'closed', 'hotline', '12345-20261124-081647', '【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？', '1999', 'normal', NULL, NULL, '南通市通州区金沙街道碧华路354号', '320612001', '320612001', '320612001.command', '[]', 0, 0, 0, 0, false, NULL, 1, 'satisfied', '[]', '[]', NULL, NULL, 0, '{"resolve_by": "2026-11-27T17:30:00+08:00"}', '2026-11-24 11:34:58+00', '2026-11-24 11:38:08.613924+00', '2026-11-24 11:38:12.938469+00', '2026-11-24 11:38:12.938453+00', 'other-to-desk', '00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03');
INSERT INTO public."case" (id, status, source, external_ref, description, category, priority, lon, lat, address, region, center, unit, assisting_units, return_count, rework_count, supervision_level, extension_count, extension_pending, merged_into, reporters_count, satisfaction, returned_by, media, team, group_key, alert_count, deadline_caps, occurred_at, created_at, updated_at, closed_at, triage_rule, traceparent) VALUES ('320612001-20261124-000007', 'closed', 'hotline', '12345-20261124-081646', '【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。', '0109', 'normal', 120.951192, 32.008605, '南通市通州区金沙街道银河路碧华苑8幢', '320612001', '320612001', '320612001.municipal', '[]', 0, 0, 0, 0, false, NULL, 1, 'satisfied', '[]', '[]', NULL, NULL, 0, '{"resolve_by": "2026-11-27T19:33:27+08:00"}', '2026-11-24 11:33:27+00', '2026-11-24 11:38:08.597948+00', '2026-11-24 11:38:12.984159+00', '2026-11-24 11:38:12.984148+00', 'default', '00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03');


--
-- Data for Name: case_deadline; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000005', 'sign', '2026-11-24 11:38:08.507978+00', '2026-11-24 12:08:08.507978+00', '2026-11-25 06:30:00+00', NULL, NULL, 'green', false, '[]', 'null', '2026-11-24 12:02:08.507978+00');
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000006', 'sign', '2026-11-24 11:38:08.536625+00', '2026-11-24 12:08:08.536625+00', '2026-11-24 15:38:08.536625+00', NULL, NULL, 'green', false, '[]', 'null', '2026-11-24 12:02:08.536625+00');
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000001', NULL, NULL, NULL, NULL, NULL, NULL, 'green', false, '[]', 'null', NULL);
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000002', NULL, NULL, NULL, NULL, NULL, NULL, 'green', false, '[]', 'null', NULL);
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000004', NULL, NULL, NULL, NULL, NULL, NULL, 'green', false, '[]', 'null', NULL);
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000003', 'resolve', '2026-11-24 11:38:08.428933+00', '2026-11-25 02:00:00+00', '2026-11-27 09:30:00+00', NULL, NULL, 'green', false, '[]', 'null', '2026-11-27 03:48:00+00');
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000008', NULL, NULL, NULL, NULL, NULL, NULL, 'green', false, '[]', 'null', NULL);
INSERT INTO public.case_deadline (case_id, stage, stage_started_at, sign_due, resolve_due, verify_due, feedback_due, light, overdue, warned, pending_extension, next_check_at) VALUES ('320612001-20261124-000007', NULL, NULL, NULL, NULL, NULL, NULL, 'green', false, '[]', 'null', NULL);


--
-- Data for Name: counter; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.counter (name, value) VALUES ('live_seq', 57);


--
-- Data for Name: hotline_update; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (2, '908d61c0-84d5-44bf-a623-b43b5dd3bf9b', '12345-20261124-081647', '320612001-20261124-000008', 'dispatched', '已派遣至金沙街道综合指挥中心办理', '320612001.command', '2026-11-24 11:38:08.660659+00', '2026-11-24 11:38:08.665714+00', '2026-11-24 11:39:09.878186+00', 1, NULL, '2026-11-24 11:38:09.888173+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (1, 'dd0faf45-17fa-401b-9c5c-d5e946d233de', '12345-20261124-081646', '320612001-20261124-000007', 'dispatched', '已派遣至金沙街道市政养护站办理', '320612001.municipal', '2026-11-24 11:38:08.637045+00', '2026-11-24 11:38:08.644342+00', '2026-11-24 11:39:09.874239+00', 1, NULL, '2026-11-24 11:38:09.886991+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (3, '78f81887-527e-4e17-8688-25db4b0eab0b', '12345-20261124-081646', '320612001-20261124-000007', 'accepted', '金沙街道市政养护站已签收（已签收）', '320612001.municipal', '2026-11-24 11:38:08.921688+00', '2026-11-24 11:38:08.923263+00', '2026-11-24 11:39:10.363425+00', 1, NULL, '2026-11-24 11:38:10.378904+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (5, '30e8b29f-78ac-46f2-84f7-4f6b3702ea40', '12345-20261124-081647', '320612001-20261124-000008', 'accepted', '金沙街道综合指挥中心已签收（已签收）', '320612001.command', '2026-11-24 11:38:08.980322+00', '2026-11-24 11:38:08.981981+00', '2026-11-24 11:39:10.366406+00', 1, NULL, '2026-11-24 11:38:10.380998+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (6, 'a442d00c-276e-49d9-a132-cea0b6bf22f7', '12345-20261124-081647', '320612001-20261124-000008', 'resolved', '金沙街道综合指挥中心已办结（已处理完毕）', '320612001.command', '2026-11-24 11:38:08.994087+00', '2026-11-24 11:38:08.995812+00', '2026-11-24 11:39:10.86364+00', 1, NULL, '2026-11-24 11:38:10.877974+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (4, 'a235a2da-d48e-4796-8f23-f226f19b2018', '12345-20261124-081646', '320612001-20261124-000007', 'resolved', '金沙街道市政养护站已办结（已处理完毕）', '320612001.municipal', '2026-11-24 11:38:08.936505+00', '2026-11-24 11:38:08.939225+00', '2026-11-24 11:39:10.861688+00', 1, NULL, '2026-11-24 11:38:10.880759+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (7, '1d11aa52-757f-485e-bfaa-d4b65ba5a152', '12345-20261124-081647', '320612001-20261124-000008', 'closed', '已结案（回访满意，结案）', '320612001.command', '2026-11-24 11:38:12.938469+00', '2026-11-24 11:38:12.944725+00', '2026-11-24 11:39:14.346967+00', 1, NULL, '2026-11-24 11:38:14.353915+00');
INSERT INTO public.hotline_update (id, event_id, order_no, case_id, status, message, unit, at, created_at, next_attempt_at, attempts, last_error, sent_at) VALUES (8, '3539eb87-3e15-4954-9a84-4ddc9216e3a6', '12345-20261124-081646', '320612001-20261124-000007', 'closed', '已结案（回访满意，结案）', '320612001.municipal', '2026-11-24 11:38:12.984159+00', '2026-11-24 11:38:12.989505+00', '2026-11-24 11:39:14.348146+00', 1, NULL, '2026-11-24 11:38:14.401363+00');


--
-- Data for Name: hotline_visit; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.hotline_visit (order_no, visited_at, case_id, received_at) VALUES ('12345-20261124-081647', '2026-11-24 11:38:12+00', '320612001-20261124-000008', '2026-11-24 11:38:12.920698+00');
INSERT INTO public.hotline_visit (order_no, visited_at, case_id, received_at) VALUES ('12345-20261124-081646', '2026-11-24 11:38:12+00', '320612001-20261124-000007', '2026-11-24 11:38:12.976766+00');


--
-- Data for Name: idempotency_key; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.idempotency_key (scope, key, request_hash, case_id, created_at) VALUES ('token:1', '060db139-0a02-4e78-87aa-019920c4b547', '0aad7ac7fac23f58e9fd0b73f602a96561f3bc372e58fed708a88331ba966037', '320612001-20261124-000001', '2026-11-24 11:38:08.313862+00');
INSERT INTO public.idempotency_key (scope, key, request_hash, case_id, created_at) VALUES ('token:1', 'e1caa0e0-9fd7-4d1f-acea-b082a0ef8e88', 'cc81facc4330fe9ab42b562efc97588669dee0aa21202369ee60aa563200a03f', '320612001-20261124-000002', '2026-11-24 11:38:08.339494+00');
INSERT INTO public.idempotency_key (scope, key, request_hash, case_id, created_at) VALUES ('token:1', '0725345b-16b4-4df9-bba8-7b99ceba1519', '7d23f2701ea448cbe565318b755e0f0f2475e4db40b284b0835c0e4b32bb7637', '320612001-20261124-000003', '2026-11-24 11:38:08.371597+00');
INSERT INTO public.idempotency_key (scope, key, request_hash, case_id, created_at) VALUES ('token:2', '9751fc01-4eb3-4f60-8677-715e299dfe58', '77e07592c0f89b5bd114aa0cf1fae415f6b2c72a7581103a3082a5dd0923f759', '320612001-20261124-000004', '2026-11-24 11:38:08.415406+00');
INSERT INTO public.idempotency_key (scope, key, request_hash, case_id, created_at) VALUES ('hotline:order', '12345-20261124-081646', '', '320612001-20261124-000007', '2026-11-24 11:38:08.597948+00');
INSERT INTO public.idempotency_key (scope, key, request_hash, case_id, created_at) VALUES ('hotline:order', '12345-20261124-081647', '', '320612001-20261124-000008', '2026-11-24 11:38:08.613924+00');


--
-- Data for Name: inbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', '5f6c8dff-55a6-412f-bdc0-32254c760fb7', '2026-11-24 11:38:08.351788+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', '3570133d-9a4a-4162-b8c4-cd3f9c4e9c48', '2026-11-24 11:38:08.38175+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', 'a5d273b1-da59-4a15-b571-fe4ed973a3e0', '2026-11-24 11:38:08.398087+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', 'e0c0daa1-1adb-49e9-960c-91a27da123c3', '2026-11-24 11:38:08.399518+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', '5784c1d1-adf0-4526-b2a9-0d22be9223d7', '2026-11-24 11:38:08.409239+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', '4774fbca-599d-410a-bcaf-d0181eb1d81c', '2026-11-24 11:38:08.424136+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '08ccd1b8-da69-477d-953f-c90824e64514', '2026-11-24 11:38:08.43095+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '672139aa-a11d-4647-9db9-4cd96a4bbd84', '2026-11-24 11:38:08.438612+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', '475507bd-f93a-4594-9be6-dc9e3c34694d', '2026-11-24 11:38:08.442867+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '0342a7f3-e422-4fc0-949e-de2ceb4615fc', '2026-11-24 11:38:08.445142+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', '6fa0fba8-62ab-4991-8824-ccdb77b69f3d', '2026-11-24 11:38:08.462773+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', 'f92edccd-c1b0-4ccd-acb5-e7d9f20975d0', '2026-11-24 11:38:08.466151+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '72bf9d40-a9b9-48b7-a64b-23a28c5289a5', '2026-11-24 11:38:08.491725+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', '9c6cb8f7-25c6-46ca-af28-73ec091e4a26', '2026-11-24 11:38:08.500698+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', '76a42d4c-2760-41db-bac8-6d40f52da7c1', '2026-11-24 11:38:08.515207+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'da6364ef-9b44-486f-8630-5afd03658757', '2026-11-24 11:38:08.526547+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', 'ec14acdc-00ac-4133-8210-98e5d0d5c06d', '2026-11-24 11:38:08.533048+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'f7d45494-d316-4d29-a7c2-87e86ab2c0a2', '2026-11-24 11:38:08.554182+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', 'd2ebdbfd-bc7c-482c-8b88-f4d1d48a4d45', '2026-11-24 11:38:08.610816+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', '5338a622-b97c-4a0d-a10f-9c01d1603ac9', '2026-11-24 11:38:08.631301+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('triage.route', '4df1a78c-d94c-496b-a953-7229a580d291', '2026-11-24 11:38:08.630504+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('dispatch.dispatch', '74ebd9c4-ce5d-40a8-b0db-52d6a21b4bde', '2026-11-24 11:38:08.656282+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'dd0faf45-17fa-401b-9c5c-d5e946d233de', '2026-11-24 11:38:08.663512+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '908d61c0-84d5-44bf-a623-b43b5dd3bf9b', '2026-11-24 11:38:08.680119+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'bf2243c4-0dbe-406a-bd1e-16dea261f435', '2026-11-24 11:38:08.709038+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'dcc41fb8-376a-4d3e-838a-2a6c0cf095e0', '2026-11-24 11:38:08.727431+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '5d10107f-79f6-422d-b04b-ddecf424e3d7', '2026-11-24 11:38:08.746881+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('feedback.close_verified', '5d10107f-79f6-422d-b04b-ddecf424e3d7', '2026-11-24 11:38:08.74801+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'fbbda1cd-2b01-4f03-aa4d-22a66884a5bc', '2026-11-24 11:38:08.768451+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'e8e24148-3a60-4e9d-bd16-ac9d26e92922', '2026-11-24 11:38:08.782926+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '8095464e-9497-4aff-86ac-3fa637517617', '2026-11-24 11:38:08.798485+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '26f1dac8-02f7-4382-a829-b9cf5baf1c11', '2026-11-24 11:38:08.817487+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('feedback.close_verified', '26f1dac8-02f7-4382-a829-b9cf5baf1c11', '2026-11-24 11:38:08.816938+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '1b709dbc-2926-44b4-bbcc-324615a4466e', '2026-11-24 11:38:08.840561+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '90868a34-593e-450f-af21-060166d6c80b', '2026-11-24 11:38:08.848566+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'c8ddff49-8a18-42f7-9925-3ee234564331', '2026-11-24 11:38:08.875456+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('feedback.close_verified', '92e8b570-8a25-4c3a-86f4-306e8d4fc6e2', '2026-11-24 11:38:08.900241+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '92e8b570-8a25-4c3a-86f4-306e8d4fc6e2', '2026-11-24 11:38:08.899503+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '05f3c29f-7314-41ca-969c-91ef0883739e', '2026-11-24 11:38:08.913524+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '78f81887-527e-4e17-8688-25db4b0eab0b', '2026-11-24 11:38:08.928045+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'a235a2da-d48e-4796-8f23-f226f19b2018', '2026-11-24 11:38:08.944434+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '8c4b21e9-d4b5-411a-808f-fecda34c1506', '2026-11-24 11:38:08.961684+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('feedback.close_verified', '8c4b21e9-d4b5-411a-808f-fecda34c1506', '2026-11-24 11:38:08.962238+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '30e8b29f-78ac-46f2-84f7-4f6b3702ea40', '2026-11-24 11:38:08.986511+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', 'a442d00c-276e-49d9-a132-cea0b6bf22f7', '2026-11-24 11:38:09.001227+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '1abc965e-ef5a-48a2-ae91-c630ffa955f2', '2026-11-24 11:38:09.019049+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('feedback.close_verified', '1abc965e-ef5a-48a2-ae91-c630ffa955f2', '2026-11-24 11:38:09.019574+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '5fdf9872-964f-42fb-b06e-565ec63fada8', '2026-11-24 11:38:09.04023+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '1d11aa52-757f-485e-bfaa-d4b65ba5a152', '2026-11-24 11:38:12.970842+00');
INSERT INTO public.inbox (consumer, event_id, processed_at) VALUES ('supervision.track', '3539eb87-3e15-4954-9a84-4ddc9216e3a6', '2026-11-24 11:38:13.00083+00');


--
-- Data for Name: live_event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (1, 1, 'received', '320612001-20261124-000001', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.314939+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (2, 2, 'received', '320612001-20261124-000002', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.341398+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (3, 3, 'triaged', '320612001-20261124-000001', 'triaged', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.36437+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (4, 4, 'received', '320612001-20261124-000003', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.377178+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (5, 5, 'triaged', '320612001-20261124-000002', 'triaged', 'green', '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.394678+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (6, 6, 'dispatched', '320612001-20261124-000001', 'dispatched', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.408213+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (7, 7, 'triaged', '320612001-20261124-000003', 'triaged', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.406702+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (8, 8, 'notification', '320612001-20261124-000001', NULL, NULL, '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.408213+00', '{"role": "handler", "unit": "320612001.municipal"}', '{"id": 1, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u6c61\u6c34\u4e95\u76d6\uff08\u4eba\u6c11\u8def12\u53f7\uff09", "body": "\u6848\u4ef6 320612001-20261124-000001 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (9, 9, 'dispatched', '320612001-20261124-000002', 'dispatched', 'green', '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.414758+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (10, 10, 'notification', '320612001-20261124-000002', NULL, NULL, '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.414758+00', '{"role": "handler", "unit": "320612001.chengguan"}', '{"id": 2, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u5360\u9053\u7ecf\u8425\uff08\u91d1\u6c99\u4e2d\u5b66\u95e8\u53e3\uff09", "body": "\u6848\u4ef6 320612001-20261124-000002 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (11, 11, 'received', '320612001-20261124-000004', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.418029+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (12, 12, 'dispatched', '320612001-20261124-000003', 'dispatched', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.428933+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (14, 14, 'triaged', '320612001-20261124-000004', 'triaged', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.450297+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (15, 15, 'received', '320612001-20261124-000005', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.452372+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (27, 27, 'received', '320612001-20261124-000007', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.599017+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (13, 13, 'notification', '320612001-20261124-000003', NULL, NULL, '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.428933+00', '{"role": "handler", "unit": "320612001.municipal"}', '{"id": 3, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u8def\u706f\uff08\u5efa\u8bbe\u8def\u65b0\u91d1\u8def\u53e3\uff09", "body": "\u6848\u4ef6 320612001-20261124-000003 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (16, 16, 'dispatched', '320612001-20261124-000004', 'dispatched', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.474284+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (17, 17, 'notification', '320612001-20261124-000004', NULL, NULL, '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.474284+00', '{"role": "handler", "unit": "320612001.sanitation"}', '{"id": 4, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u66b4\u9732\u5783\u573e\uff08\u91d1\u6c99\u82b1\u56ed\u5317\u95e8\uff09", "body": "\u6848\u4ef6 320612001-20261124-000004 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (18, 18, 'triaged', '320612001-20261124-000005', 'triaged', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.478847+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (19, 19, 'received', '320612001-20261124-000006', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.49528+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (20, 20, 'notification', '320612001-20261124-000006', NULL, NULL, NULL, '320612001', '320612001', '2026-11-24 11:38:08.49528+00', '{"role": "dispatcher", "unit": null}', '{"id": 5, "kind": "warning", "title": "\u611f\u77e5\u9884\u8b66\uff1a\u9053\u8def\u79ef\u6c34\uff08\u91d1\u6c99\u4e1c\u8def\u4e0b\u7a7f\uff09", "body": "\u7269\u8054\u611f\u77e5\u8bbe\u5907\u62a5\u8b66\uff0c\u5df2\u751f\u6210\u6848\u4ef6 320612001-20261124-000006"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (21, 21, 'dispatched', '320612001-20261124-000005', 'dispatched', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.507978+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (22, 22, 'notification', '320612001-20261124-000005', NULL, NULL, '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.507978+00', '{"role": "handler", "unit": "320612001.sanitation"}', '{"id": 6, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u66b4\u9732\u5783\u573e\uff08\u91d1\u4e50\u8def88\u53f7\uff09", "body": "\u6848\u4ef6 320612001-20261124-000005 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (23, 23, 'triaged', '320612001-20261124-000006', 'triaged', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.522587+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (24, 24, 'alert_grouped', '320612001-20261124-000006', 'triaged', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.530253+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (25, 25, 'dispatched', '320612001-20261124-000006', 'dispatched', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.536625+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (26, 26, 'notification', '320612001-20261124-000006', NULL, NULL, '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.536625+00', '{"role": "handler", "unit": "320612001.municipal"}', '{"id": 7, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u9053\u8def\u79ef\u6c34\uff08\u91d1\u6c99\u4e1c\u8def\u4e0b\u7a7f\uff09", "body": "\u6848\u4ef6 320612001-20261124-000006 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (33, 33, 'dispatched', '320612001-20261124-000008', 'dispatched', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:08.660659+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (34, 34, 'notification', '320612001-20261124-000008', NULL, NULL, '320612001.command', '320612001', '320612001', '2026-11-24 11:38:08.660659+00', '{"role": "handler", "unit": "320612001.command"}', '{"id": 9, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u5176\u4ed6\uff08\u5357\u901a\u5e02\u901a\u5dde\u533a\u91d1\u6c99\u8857\u9053\u78a7\u534e\u8def354\u53f7\uff09", "body": "\u6848\u4ef6 320612001-20261124-000008 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (36, 36, 'resolved', '320612001-20261124-000001', 'resolved', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.720969+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (38, 38, 'closed', '320612001-20261124-000001', 'closed', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.755237+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (42, 42, 'closed', '320612001-20261124-000002', 'closed', 'green', '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.820471+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (44, 44, 'resolved', '320612001-20261124-000004', 'resolved', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.865241+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (50, 50, 'accepted', '320612001-20261124-000008', 'accepted', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:08.980322+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (51, 51, 'resolved', '320612001-20261124-000008', 'resolved', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:08.994087+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (53, 53, 'accepted', '320612001-20261124-000003', 'accepted', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:09.034216+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (28, 28, 'received', '320612001-20261124-000008', 'received', 'green', NULL, '320612001', '320612001', '2026-11-24 11:38:08.615095+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (35, 35, 'accepted', '320612001-20261124-000001', 'accepted', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.703285+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (43, 43, 'accepted', '320612001-20261124-000004', 'accepted', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.841614+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (49, 49, 'verified', '320612001-20261124-000007', 'verified', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.955872+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (54, 54, 'visited', '320612001-20261124-000008', 'closed', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:12.920959+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (55, 55, 'closed', '320612001-20261124-000008', 'closed', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:12.938469+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (29, 29, 'triaged', '320612001-20261124-000007', 'triaged', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.618666+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (37, 37, 'verified', '320612001-20261124-000001', 'verified', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.74016+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (46, 46, 'closed', '320612001-20261124-000004', 'closed', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.902824+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (47, 47, 'accepted', '320612001-20261124-000007', 'accepted', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.921688+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (48, 48, 'resolved', '320612001-20261124-000007', 'resolved', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.936505+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (52, 52, 'verified', '320612001-20261124-000008', 'verified', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:09.012935+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (30, 30, 'triaged', '320612001-20261124-000008', 'triaged', 'green', '320612001.command', '320612001', '320612001', '2026-11-24 11:38:08.639429+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (41, 41, 'verified', '320612001-20261124-000002', 'verified', 'green', '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.810876+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (56, 56, 'visited', '320612001-20261124-000007', 'closed', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:12.977352+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (57, 57, 'closed', '320612001-20261124-000007', 'closed', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:12.984159+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (31, 31, 'dispatched', '320612001-20261124-000007', 'dispatched', 'green', '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.637045+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (32, 32, 'notification', '320612001-20261124-000007', NULL, NULL, '320612001.municipal', '320612001', '320612001', '2026-11-24 11:38:08.637045+00', '{"role": "handler", "unit": "320612001.municipal"}', '{"id": 8, "kind": "new_task", "title": "\u65b0\u4efb\u52a1\uff1a\u8def\u706f\uff08\u5357\u901a\u5e02\u901a\u5dde\u533a\u91d1\u6c99\u8857\u9053\u94f6\u6cb3\u8def\u78a7\u534e\u82d18\u5e62\uff09", "body": "\u6848\u4ef6 320612001-20261124-000007 \u5df2\u6d3e\u81f3\u672c\u5355\u4f4d\uff0c\u8bf7\u53ca\u65f6\u7b7e\u6536"}');
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (39, 39, 'accepted', '320612001-20261124-000002', 'accepted', 'green', '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.777215+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (40, 40, 'resolved', '320612001-20261124-000002', 'resolved', 'green', '320612001.chengguan', '320612001', '320612001', '2026-11-24 11:38:08.791759+00', NULL, NULL);
INSERT INTO public.live_event (id, seq, name, case_id, status, light, unit, region, center, at, audience, data) VALUES (45, 45, 'verified', '320612001-20261124-000004', 'verified', 'green', '320612001.sanitation', '320612001', '320612001', '2026-11-24 11:38:08.890201+00', NULL, NULL);


--
-- Data for Name: media; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.media (id, sha256, content_type, size, taken_at, lon, lat, uploader, created_at) VALUES ('m_OMhNqA-MOeyBTIOAddU-PzAR', 'dbefb6a13eec93fa3e37c643ea8c0e4538c6ddaa816abc39019245bd30e67980', 'image/jpeg', 732, NULL, NULL, NULL, 'token:1', '2026-11-24 11:38:08.30672+00');


--
-- Data for Name: media_use; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.media_use (media_id, case_id) VALUES ('m_OMhNqA-MOeyBTIOAddU-PzAR', '320612001-20261124-000001');
INSERT INTO public.media_use (media_id, case_id) VALUES ('m_OMhNqA-MOeyBTIOAddU-PzAR', '320612001-20261124-000002');
INSERT INTO public.media_use (media_id, case_id) VALUES ('m_OMhNqA-MOeyBTIOAddU-PzAR', '320612001-20261124-000004');
INSERT INTO public.media_use (media_id, case_id) VALUES ('m_OMhNqA-MOeyBTIOAddU-PzAR', '320612001-20261124-000007');
INSERT INTO public.media_use (media_id, case_id) VALUES ('m_OMhNqA-MOeyBTIOAddU-PzAR', '320612001-20261124-000008');


--
-- Data for Name: notification; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (1, 'new_task:08ccd1b8-da69-477d-953f-c90824e64514:handler', 'new_task', '320612001-20261124-000001', '320612001', '320612001', 'handler', '320612001.municipal', '新任务：污水井盖（人民路12号）', '案件 320612001-20261124-000001 已派至本单位，请及时签收', '2026-11-24 11:38:08.408213+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (2, 'new_task:672139aa-a11d-4647-9db9-4cd96a4bbd84:handler', 'new_task', '320612001-20261124-000002', '320612001', '320612001', 'handler', '320612001.chengguan', '新任务：占道经营（金沙中学门口）', '案件 320612001-20261124-000002 已派至本单位，请及时签收', '2026-11-24 11:38:08.414758+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (3, 'new_task:0342a7f3-e422-4fc0-949e-de2ceb4615fc:handler', 'new_task', '320612001-20261124-000003', '320612001', '320612001', 'handler', '320612001.municipal', '新任务：路灯（建设路新金路口）', '案件 320612001-20261124-000003 已派至本单位，请及时签收', '2026-11-24 11:38:08.428933+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (4, 'new_task:72bf9d40-a9b9-48b7-a64b-23a28c5289a5:handler', 'new_task', '320612001-20261124-000004', '320612001', '320612001', 'handler', '320612001.sanitation', '新任务：暴露垃圾（金沙花园北门）', '案件 320612001-20261124-000004 已派至本单位，请及时签收', '2026-11-24 11:38:08.474284+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (5, 'warning:76a42d4c-2760-41db-bac8-6d40f52da7c1:dispatcher', 'warning', '320612001-20261124-000006', '320612001', '320612001', 'dispatcher', NULL, '感知预警：道路积水（金沙东路下穿）', '物联感知设备报警，已生成案件 320612001-20261124-000006', '2026-11-24 11:38:08.49528+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (6, 'new_task:da6364ef-9b44-486f-8630-5afd03658757:handler', 'new_task', '320612001-20261124-000005', '320612001', '320612001', 'handler', '320612001.sanitation', '新任务：暴露垃圾（金乐路88号）', '案件 320612001-20261124-000005 已派至本单位，请及时签收', '2026-11-24 11:38:08.507978+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (7, 'new_task:f7d45494-d316-4d29-a7c2-87e86ab2c0a2:handler', 'new_task', '320612001-20261124-000006', '320612001', '320612001', 'handler', '320612001.municipal', '新任务：道路积水（金沙东路下穿）', '案件 320612001-20261124-000006 已派至本单位，请及时签收', '2026-11-24 11:38:08.536625+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (8, 'new_task:dd0faf45-17fa-401b-9c5c-d5e946d233de:handler', 'new_task', '320612001-20261124-000007', '320612001', '320612001', 'handler', '320612001.municipal', '新任务：路灯（南通市通州区金沙街道银河路碧华苑8幢）', '案件 320612001-20261124-000007 已派至本单位，请及时签收', '2026-11-24 11:38:08.637045+00');
INSERT INTO public.notification (id, cause, kind, case_id, center, region, role, unit, title, body, at) VALUES (9, 'new_task:908d61c0-84d5-44bf-a623-b43b5dd3bf9b:handler', 'new_task', '320612001-20261124-000008', '320612001', '320612001', 'handler', '320612001.command', '新任务：其他（南通市通州区金沙街道碧华路354号）', '案件 320612001-20261124-000008 已派至本单位，请及时签收', '2026-11-24 11:38:08.660659+00');


--
-- Data for Name: notification_read; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.notification_read (notification_id, reader, read_at) VALUES (5, 'token:2', '2026-11-24 11:38:13.062502+00');
INSERT INTO public.notification_read (notification_id, reader, read_at) VALUES (8, 'token:8', '2026-11-24 11:38:13.077455+00');
INSERT INTO public.notification_read (notification_id, reader, read_at) VALUES (2, 'token:9', '2026-11-24 11:38:13.09181+00');
INSERT INTO public.notification_read (notification_id, reader, read_at) VALUES (6, 'token:10', '2026-11-24 11:38:13.098418+00');
INSERT INTO public.notification_read (notification_id, reader, read_at) VALUES (9, 'token:11', '2026-11-24 11:38:13.10507+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (3, 'a5d273b1-da59-4a15-b571-fe4ed973a3e0', '320612001-20261124-000001', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"a5d273b1-da59-4a15-b571-fe4ed973a3e0","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.364370+08:00","datacontenttype":"application/json","data":{"category":"0102","priority":"high","unit":"320612001.municipal","assisting_units":[],"rule":"default","reason":"rule default: 污水井盖 → 金沙街道市政养护站","case":{"id":"320612001-20261124-000001","status":"triaged","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":"0102","priority":"high","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.313862+00:00","updated_at":"2026-11-24T19:38:08.364370+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-7a15f3dff6f5a621-03"}', '00-7a2ec3e54fa60219fbde71c6bed74843-7a15f3dff6f5a621-03', '2026-11-24 11:38:08.364756+00', '2026-11-24 11:38:08.448652+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (5, '5784c1d1-adf0-4526-b2a9-0d22be9223d7', '320612001-20261124-000002', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"5784c1d1-adf0-4526-b2a9-0d22be9223d7","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.394678+08:00","datacontenttype":"application/json","data":{"category":"1501","priority":"normal","unit":"320612001.chengguan","assisting_units":[],"rule":"default","reason":"rule default: 占道经营 → 金沙街道城管中队","case":{"id":"320612001-20261124-000002","status":"triaged","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":"1501","priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":"320612001.chengguan","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.339494+00:00","updated_at":"2026-11-24T19:38:08.394678+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-8dae018ba52df05a-03"}', '00-9cbcd0c6830d086fb757a68caa41c37f-8dae018ba52df05a-03', '2026-11-24 11:38:08.394939+00', '2026-11-24 11:38:08.448652+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (6, '4774fbca-599d-410a-bcaf-d0181eb1d81c', '320612001-20261124-000003', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"4774fbca-599d-410a-bcaf-d0181eb1d81c","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000003","time":"2026-11-24T19:38:08.406702+08:00","datacontenttype":"application/json","data":{"category":"0109","priority":"normal","unit":"320612001.municipal","assisting_units":[],"rule":"default","reason":"rule default: 路灯 → 金沙街道市政养护站","case":{"id":"320612001-20261124-000003","status":"triaged","source":"grid","external_ref":null,"description":"建设路与新金路交叉口路灯不亮","category":"0109","priority":"normal","lon":121.066,"lat":32.077,"address":"建设路新金路口","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.371597+00:00","updated_at":"2026-11-24T19:38:08.406702+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-8dfa4ceaadd672568da043d141990a8d-cd67e0ffce67ae77-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-8dfa4ceaadd672568da043d141990a8d-06eca3b7e57b9516-03"}', '00-8dfa4ceaadd672568da043d141990a8d-06eca3b7e57b9516-03', '2026-11-24 11:38:08.406922+00', '2026-11-24 11:38:08.448652+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (10, '0342a7f3-e422-4fc0-949e-de2ceb4615fc', '320612001-20261124-000003', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"0342a7f3-e422-4fc0-949e-de2ceb4615fc","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000003","time":"2026-11-24T19:38:08.428933+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","assisting_units":[],"case":{"id":"320612001-20261124-000003","status":"dispatched","source":"grid","external_ref":null,"description":"建设路与新金路交叉口路灯不亮","category":"0109","priority":"normal","lon":121.066,"lat":32.077,"address":"建设路新金路口","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.371597+00:00","updated_at":"2026-11-24T19:38:08.428933+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-8dfa4ceaadd672568da043d141990a8d-cd67e0ffce67ae77-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-8dfa4ceaadd672568da043d141990a8d-54f79d31b7a46ab4-03"}', '00-8dfa4ceaadd672568da043d141990a8d-54f79d31b7a46ab4-03', '2026-11-24 11:38:08.429153+00', '2026-11-24 11:38:08.482182+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (14, '9c6cb8f7-25c6-46ca-af28-73ec091e4a26', '320612001-20261124-000005', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"9c6cb8f7-25c6-46ca-af28-73ec091e4a26","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000005","time":"2026-11-24T19:38:08.478847+08:00","datacontenttype":"application/json","data":{"category":"1101","priority":"normal","unit":"320612001.sanitation","assisting_units":[],"rule":"default","reason":"rule default: 暴露垃圾 → 金沙街道环卫所","case":{"id":"320612001-20261124-000005","status":"triaged","source":"open311","external_ref":null,"description":"路边堆放建筑垃圾","category":"1101","priority":"normal","lon":121.069,"lat":32.081,"address":"金乐路88号","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.449562+00:00","updated_at":"2026-11-24T19:38:08.478847+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-af2b64e4fb56c410733e810f04e082a1-9784f0d5bab65542-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-af2b64e4fb56c410733e810f04e082a1-d3833f2415e8c670-03"}', '00-af2b64e4fb56c410733e810f04e082a1-d3833f2415e8c670-03', '2026-11-24 11:38:08.479071+00', '2026-11-24 11:38:08.515663+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (26, 'bf2243c4-0dbe-406a-bd1e-16dea261f435', '320612001-20261124-000001', '320600.320612.320612001.accepted', '{"specversion":"1.0","id":"bf2243c4-0dbe-406a-bd1e-16dea261f435","source":"/centers/320612001/gateway","type":"yiwang.case.accepted.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.703285+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":"已签收","case":{"id":"320612001-20261124-000001","status":"accepted","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":"0102","priority":"high","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":"320612001.municipal.t2","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.313862+00:00","updated_at":"2026-11-24T19:38:08.703285+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"handler:320612001.municipal处置员"},"region":"320612001","center":"320612001","traceparent":"00-86322247f88fc0bb019f2ac411a2327f-667b144228f40af9-03"}', '00-86322247f88fc0bb019f2ac411a2327f-667b144228f40af9-03', '2026-11-24 11:38:08.703577+00', '2026-11-24 11:38:08.762871+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (31, '8095464e-9497-4aff-86ac-3fa637517617', '320612001-20261124-000002', '320600.320612.320612001.resolved', '{"specversion":"1.0","id":"8095464e-9497-4aff-86ac-3fa637517617","source":"/centers/320612001/gateway","type":"yiwang.case.resolved.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.791759+08:00","datacontenttype":"application/json","data":{"unit":"320612001.chengguan","note":"已处理完毕","media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"case":{"id":"320612001-20261124-000002","status":"resolved","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":"1501","priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":"320612001.chengguan","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.chengguan.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.339494+00:00","updated_at":"2026-11-24T19:38:08.791759+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"handler:320612001.chengguan处置员"},"region":"320612001","center":"320612001","traceparent":"00-d9aa1eab187aa0e421130d79973e5678-5fe1cb14bf35c3c3-03"}', '00-d9aa1eab187aa0e421130d79973e5678-5fe1cb14bf35c3c3-03', '2026-11-24 11:38:08.792082+00', '2026-11-24 11:38:08.833746+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (12, 'f92edccd-c1b0-4ccd-acb5-e7d9f20975d0', '320612001-20261124-000005', '320600.320612.320612001.received', '{"specversion":"1.0","id":"f92edccd-c1b0-4ccd-acb5-e7d9f20975d0","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000005","time":"2026-11-24T19:38:08.452372+08:00","datacontenttype":"application/json","data":{"source":"open311","category":"1101","priority":"normal","region_from":"boundary","location":{"lon":121.069,"lat":32.081,"address":"金乐路88号"},"description":"路边堆放建筑垃圾","case":{"id":"320612001-20261124-000005","status":"received","source":"open311","external_ref":null,"description":"路边堆放建筑垃圾","category":"1101","priority":"normal","lon":121.069,"lat":32.081,"address":"金乐路88号","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T19:38:08.449562+08:00","updated_at":"2026-11-24T19:38:08.452372+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-af2b64e4fb56c410733e810f04e082a1-9784f0d5bab65542-03"},"actor":"citizen:市民App"},"region":"320612001","center":"320612001","traceparent":"00-af2b64e4fb56c410733e810f04e082a1-196a869c9abbf3d2-03"}', '00-af2b64e4fb56c410733e810f04e082a1-196a869c9abbf3d2-03', '2026-11-24 11:38:08.452656+00', '2026-11-24 11:38:08.493383+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (11, '6fa0fba8-62ab-4991-8824-ccdb77b69f3d', '320612001-20261124-000004', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"6fa0fba8-62ab-4991-8824-ccdb77b69f3d","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.450297+08:00","datacontenttype":"application/json","data":{"category":"1101","priority":"normal","unit":"320612001.sanitation","assisting_units":[],"rule":"default","reason":"rule default: 暴露垃圾 → 金沙街道环卫所","case":{"id":"320612001-20261124-000004","status":"triaged","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":"1101","priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.415406+00:00","updated_at":"2026-11-24T19:38:08.450297+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-fc1eff4f5c0bcddf-03"}', '00-54ac4f9e278bc14de63a11d7852035a7-fc1eff4f5c0bcddf-03', '2026-11-24 11:38:08.450508+00', '2026-11-24 11:38:08.515663+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (1, '5f6c8dff-55a6-412f-bdc0-32254c760fb7', '320612001-20261124-000001', '320600.320612.320612001.received', '{"specversion":"1.0","id":"5f6c8dff-55a6-412f-bdc0-32254c760fb7","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.314939+08:00","datacontenttype":"application/json","data":{"source":"grid","category":null,"priority":"normal","region_from":"boundary","location":{"lon":121.07,"lat":32.08,"address":"人民路12号"},"description":"人民路12号污水井盖破损，夜间危险","case":{"id":"320612001-20261124-000001","status":"received","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":null,"priority":"normal","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T19:38:08.313862+08:00","updated_at":"2026-11-24T19:38:08.314939+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-c2cd640f753ea88c-03"}', '00-7a2ec3e54fa60219fbde71c6bed74843-c2cd640f753ea88c-03', '2026-11-24 11:38:08.315255+00', '2026-11-24 11:38:08.420787+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (2, '3570133d-9a4a-4162-b8c4-cd3f9c4e9c48', '320612001-20261124-000002', '320600.320612.320612001.received', '{"specversion":"1.0","id":"3570133d-9a4a-4162-b8c4-cd3f9c4e9c48","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.341398+08:00","datacontenttype":"application/json","data":{"source":"grid","category":null,"priority":"normal","region_from":"boundary","location":{"lon":121.074,"lat":32.083,"address":"金沙中学门口"},"description":"金沙中学门口占道经营的流动摊贩","case":{"id":"320612001-20261124-000002","status":"received","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":null,"priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T19:38:08.339494+08:00","updated_at":"2026-11-24T19:38:08.341398+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-ddd307dcc9e2db28-03"}', '00-9cbcd0c6830d086fb757a68caa41c37f-ddd307dcc9e2db28-03', '2026-11-24 11:38:08.34174+00', '2026-11-24 11:38:08.420787+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (4, 'e0c0daa1-1adb-49e9-960c-91a27da123c3', '320612001-20261124-000003', '320600.320612.320612001.received', '{"specversion":"1.0","id":"e0c0daa1-1adb-49e9-960c-91a27da123c3","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000003","time":"2026-11-24T19:38:08.377178+08:00","datacontenttype":"application/json","data":{"source":"grid","category":null,"priority":"normal","region_from":"boundary","location":{"lon":121.066,"lat":32.077,"address":"建设路新金路口"},"description":"建设路与新金路交叉口路灯不亮","case":{"id":"320612001-20261124-000003","status":"received","source":"grid","external_ref":null,"description":"建设路与新金路交叉口路灯不亮","category":null,"priority":"normal","lon":121.066,"lat":32.077,"address":"建设路新金路口","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T19:38:08.371597+08:00","updated_at":"2026-11-24T19:38:08.377178+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-8dfa4ceaadd672568da043d141990a8d-cd67e0ffce67ae77-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-8dfa4ceaadd672568da043d141990a8d-034773aca94f2c11-03"}', '00-8dfa4ceaadd672568da043d141990a8d-034773aca94f2c11-03', '2026-11-24 11:38:08.377561+00', '2026-11-24 11:38:08.420787+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (32, '26f1dac8-02f7-4382-a829-b9cf5baf1c11', '320612001-20261124-000002', '320600.320612.320612001.verified', '{"specversion":"1.0","id":"26f1dac8-02f7-4382-a829-b9cf5baf1c11","source":"/centers/320612001/gateway","type":"yiwang.case.verified.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.810876+08:00","datacontenttype":"application/json","data":{"passed":true,"unit":"320612001.chengguan","note":null,"media":[],"case":{"id":"320612001-20261124-000002","status":"verified","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":"1501","priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":"320612001.chengguan","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.chengguan.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.339494+00:00","updated_at":"2026-11-24T19:38:08.810876+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-f0166d58febf465133dddab56f1fc1ed-97a1c89ded16383e-03"}', '00-f0166d58febf465133dddab56f1fc1ed-97a1c89ded16383e-03', '2026-11-24 11:38:08.811133+00', '2026-11-24 11:38:08.833746+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (13, '72bf9d40-a9b9-48b7-a64b-23a28c5289a5', '320612001-20261124-000004', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"72bf9d40-a9b9-48b7-a64b-23a28c5289a5","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.474284+08:00","datacontenttype":"application/json","data":{"unit":"320612001.sanitation","assisting_units":[],"team":"320612001.sanitation.t1","team_name":"金沙街道环卫所一组","distance_m":1478,"note":"nearest available team: 金沙街道环卫所一组, 1478 m away","case":{"id":"320612001-20261124-000004","status":"dispatched","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":"1101","priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.sanitation.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.415406+00:00","updated_at":"2026-11-24T19:38:08.474284+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-3f15e54c8efd3c00-03"}', '00-54ac4f9e278bc14de63a11d7852035a7-3f15e54c8efd3c00-03', '2026-11-24 11:38:08.474519+00', '2026-11-24 11:38:08.543492+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (19, 'f7d45494-d316-4d29-a7c2-87e86ab2c0a2', '320612001-20261124-000006', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"f7d45494-d316-4d29-a7c2-87e86ab2c0a2","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000006","time":"2026-11-24T19:38:08.536625+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","assisting_units":[],"case":{"id":"320612001-20261124-000006","status":"dispatched","source":"sensor","external_ref":null,"description":"道路积水超警（传感器 WL-JS-007，预警）：监测值 0.8，阈值 0.5","category":"1402","priority":"urgent","lon":121.072,"lat":32.079,"address":"金沙东路下穿","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":"waterlogging:300m:11890:38023","alert_count":2,"deadline_caps":{},"occurred_at":"2026-11-24T11:38:08.466159+00:00","created_at":"2026-11-24T11:38:08.491066+00:00","updated_at":"2026-11-24T19:38:08.536625+08:00","closed_at":null,"triage_rule":"urgent-sensor-here","traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-dcca85e8e8f47d71-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-410ff6c685daab03-03"}', '00-3c666bc5ecd7b40950e73c475b90266d-410ff6c685daab03-03', '2026-11-24 11:38:08.536866+00', '2026-11-24 11:38:08.607389+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (20, 'd2ebdbfd-bc7c-482c-8b88-f4d1d48a4d45', '320612001-20261124-000007', '320600.320612.320612001.received', '{"specversion":"1.0","id":"d2ebdbfd-bc7c-482c-8b88-f4d1d48a4d45","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:08.599017+08:00","datacontenttype":"application/json","data":{"source":"hotline","category":null,"priority":"normal","region_from":"request","location":{"lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢"},"description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","order_no":"12345-20261124-081646","kind":"complaint","channel":"wechat","urgent":false,"case":{"id":"320612001-20261124-000007","status":"received","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":null,"priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T19:33:27+08:00","created_at":"2026-11-24T19:38:08.597948+08:00","updated_at":"2026-11-24T19:38:08.599017+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"hotline:12345平台"},"region":"320612001","center":"320612001","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-a73a038a05de155a-03"}', '00-a12f8792c13547f7c3a1b8c212c9cea1-a73a038a05de155a-03', '2026-11-24 11:38:08.599433+00', '2026-11-24 11:38:08.662009+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (7, '08ccd1b8-da69-477d-953f-c90824e64514', '320612001-20261124-000001', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"08ccd1b8-da69-477d-953f-c90824e64514","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.408213+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","assisting_units":[],"team":"320612001.municipal.t2","team_name":"金沙街道市政养护站二班","distance_m":2273,"note":"nearest available team: 金沙街道市政养护站二班, 2273 m away","case":{"id":"320612001-20261124-000001","status":"dispatched","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":"0102","priority":"high","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":"320612001.municipal.t2","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.313862+00:00","updated_at":"2026-11-24T19:38:08.408213+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-d0aee3115efc3602-03"}', '00-7a2ec3e54fa60219fbde71c6bed74843-d0aee3115efc3602-03', '2026-11-24 11:38:08.408411+00', '2026-11-24 11:38:08.482182+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (8, '672139aa-a11d-4647-9db9-4cd96a4bbd84', '320612001-20261124-000002', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"672139aa-a11d-4647-9db9-4cd96a4bbd84","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.414758+08:00","datacontenttype":"application/json","data":{"unit":"320612001.chengguan","assisting_units":[],"team":"320612001.chengguan.t1","team_name":"金沙街道城管中队一分队","distance_m":962,"note":"nearest available team: 金沙街道城管中队一分队, 962 m away","case":{"id":"320612001-20261124-000002","status":"dispatched","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":"1501","priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":"320612001.chengguan","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.chengguan.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.339494+00:00","updated_at":"2026-11-24T19:38:08.414758+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-cd33399c7d86a089-03"}', '00-9cbcd0c6830d086fb757a68caa41c37f-cd33399c7d86a089-03', '2026-11-24 11:38:08.414968+00', '2026-11-24 11:38:08.482182+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (16, 'da6364ef-9b44-486f-8630-5afd03658757', '320612001-20261124-000005', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"da6364ef-9b44-486f-8630-5afd03658757","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000005","time":"2026-11-24T19:38:08.507978+08:00","datacontenttype":"application/json","data":{"unit":"320612001.sanitation","assisting_units":[],"team":"320612001.sanitation.t2","team_name":"金沙街道环卫所二组","distance_m":1361,"note":"nearest available team: 金沙街道环卫所二组, 1361 m away","case":{"id":"320612001-20261124-000005","status":"dispatched","source":"open311","external_ref":null,"description":"路边堆放建筑垃圾","category":"1101","priority":"normal","lon":121.069,"lat":32.081,"address":"金乐路88号","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.sanitation.t2","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.449562+00:00","updated_at":"2026-11-24T19:38:08.507978+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-af2b64e4fb56c410733e810f04e082a1-9784f0d5bab65542-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-af2b64e4fb56c410733e810f04e082a1-44e67cf0d0c35779-03"}', '00-af2b64e4fb56c410733e810f04e082a1-44e67cf0d0c35779-03', '2026-11-24 11:38:08.508338+00', '2026-11-24 11:38:08.543492+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (9, '475507bd-f93a-4594-9be6-dc9e3c34694d', '320612001-20261124-000004', '320600.320612.320612001.received', '{"specversion":"1.0","id":"475507bd-f93a-4594-9be6-dc9e3c34694d","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.418029+08:00","datacontenttype":"application/json","data":{"source":"desk","category":null,"priority":"normal","region_from":"boundary","location":{"lon":121.071,"lat":32.086,"address":"金沙花园北门"},"description":"小区门口垃圾满溢三天无人清运","case":{"id":"320612001-20261124-000004","status":"received","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":null,"priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T19:38:08.415406+08:00","updated_at":"2026-11-24T19:38:08.418029+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"dispatcher:值班长王芳"},"region":"320612001","center":"320612001","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-06d8f66719a74db7-03"}', '00-54ac4f9e278bc14de63a11d7852035a7-06d8f66719a74db7-03', '2026-11-24 11:38:08.418255+00', '2026-11-24 11:38:08.493383+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (17, 'ec14acdc-00ac-4133-8210-98e5d0d5c06d', '320612001-20261124-000006', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"ec14acdc-00ac-4133-8210-98e5d0d5c06d","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000006","time":"2026-11-24T19:38:08.522587+08:00","datacontenttype":"application/json","data":{"category":"1402","priority":"urgent","unit":"320612001.municipal","assisting_units":[],"rule":"urgent-sensor-here","reason":"rule urgent-sensor-here: 道路积水 → 金沙街道市政养护站","case":{"id":"320612001-20261124-000006","status":"triaged","source":"sensor","external_ref":null,"description":"道路积水超警（传感器 WL-JS-007，预警）：监测值 0.8，阈值 0.5","category":"1402","priority":"urgent","lon":121.072,"lat":32.079,"address":"金沙东路下穿","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":"waterlogging:300m:11890:38023","alert_count":1,"deadline_caps":{},"occurred_at":"2026-11-24T11:38:08.466159+00:00","created_at":"2026-11-24T11:38:08.491066+00:00","updated_at":"2026-11-24T19:38:08.522587+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-dcca85e8e8f47d71-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-018b13b09caec8a8-03"}', '00-3c666bc5ecd7b40950e73c475b90266d-018b13b09caec8a8-03', '2026-11-24 11:38:08.522865+00', '2026-11-24 11:38:08.584232+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (15, '76a42d4c-2760-41db-bac8-6d40f52da7c1', '320612001-20261124-000006', '320600.320612.320612001.received', '{"specversion":"1.0","id":"76a42d4c-2760-41db-bac8-6d40f52da7c1","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000006","time":"2026-11-24T19:38:08.495280+08:00","datacontenttype":"application/json","data":{"source":"sensor","category":"1402","priority":"high","region_from":"boundary","location":{"lon":121.072,"lat":32.079,"address":"金沙东路下穿"},"description":"道路积水超警（传感器 WL-JS-007，预警）：监测值 0.8，阈值 0.5","sensor_id":"WL-JS-007","alert_type":"waterlogging","level":"warning","value":0.8,"threshold":0.5,"observed_at":"2026-11-24T11:38:08.466159+00:00","case":{"id":"320612001-20261124-000006","status":"received","source":"sensor","external_ref":null,"description":"道路积水超警（传感器 WL-JS-007，预警）：监测值 0.8，阈值 0.5","category":"1402","priority":"high","lon":121.072,"lat":32.079,"address":"金沙东路下穿","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":"waterlogging:300m:11890:38023","alert_count":1,"deadline_caps":{},"occurred_at":"2026-11-24T11:38:08.466159+00:00","created_at":"2026-11-24T19:38:08.491066+08:00","updated_at":"2026-11-24T19:38:08.495280+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-dcca85e8e8f47d71-03"},"actor":"sensor:物联感知平台"},"region":"320612001","center":"320612001","traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-aad4458732cc9b67-03"}', '00-3c666bc5ecd7b40950e73c475b90266d-aad4458732cc9b67-03', '2026-11-24 11:38:08.495697+00', '2026-11-24 11:38:08.564873+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (18, '26aff51b-cca4-4a6f-9bb5-f51e784cebe4', '320612001-20261124-000006', '320600.320612.320612001.alert_grouped', '{"specversion":"1.0","id":"26aff51b-cca4-4a6f-9bb5-f51e784cebe4","source":"/centers/320612001/gateway","type":"yiwang.case.alert_grouped.v1","subject":"320612001-20261124-000006","time":"2026-11-24T19:38:08.530253+08:00","datacontenttype":"application/json","data":{"sensor_id":"WL-JS-007","alert_type":"waterlogging","level":"warning","value":1.1,"threshold":0.5,"observed_at":"2026-11-24T11:38:09.466159+00:00","count":2,"priority":null,"case":{"id":"320612001-20261124-000006","status":"triaged","source":"sensor","external_ref":null,"description":"道路积水超警（传感器 WL-JS-007，预警）：监测值 0.8，阈值 0.5","category":"1402","priority":"urgent","lon":121.072,"lat":32.079,"address":"金沙东路下穿","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":"waterlogging:300m:11890:38023","alert_count":2,"deadline_caps":{},"occurred_at":"2026-11-24T11:38:08.466159+00:00","created_at":"2026-11-24T11:38:08.491066+00:00","updated_at":"2026-11-24T19:38:08.530253+08:00","closed_at":null,"triage_rule":"urgent-sensor-here","traceparent":"00-3c666bc5ecd7b40950e73c475b90266d-dcca85e8e8f47d71-03"},"actor":"sensor:物联感知平台"},"region":"320612001","center":"320612001","traceparent":"00-4c8d2a89894942377a737acdcca782b1-5a6b62379ca5432b-03"}', '00-4c8d2a89894942377a737acdcca782b1-5a6b62379ca5432b-03', '2026-11-24 11:38:08.530511+00', '2026-11-24 11:38:08.564873+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (23, 'dd0faf45-17fa-401b-9c5c-d5e946d233de', '320612001-20261124-000007', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"dd0faf45-17fa-401b-9c5c-d5e946d233de","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:08.637045+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","assisting_units":[],"case":{"id":"320612001-20261124-000007","status":"dispatched","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:08.637045+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-3ad62f1c299ed884-03"}', '00-a12f8792c13547f7c3a1b8c212c9cea1-3ad62f1c299ed884-03', '2026-11-24 11:38:08.637332+00', '2026-11-24 11:38:08.71404+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (30, 'e8e24148-3a60-4e9d-bd16-ac9d26e92922', '320612001-20261124-000002', '320600.320612.320612001.accepted', '{"specversion":"1.0","id":"e8e24148-3a60-4e9d-bd16-ac9d26e92922","source":"/centers/320612001/gateway","type":"yiwang.case.accepted.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.777215+08:00","datacontenttype":"application/json","data":{"unit":"320612001.chengguan","note":"已签收","case":{"id":"320612001-20261124-000002","status":"accepted","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":"1501","priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":"320612001.chengguan","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.chengguan.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.339494+00:00","updated_at":"2026-11-24T19:38:08.777215+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"handler:320612001.chengguan处置员"},"region":"320612001","center":"320612001","traceparent":"00-5f4530b1198df12956ad7101be588290-12d09c660ce3617d-03"}', '00-5f4530b1198df12956ad7101be588290-12d09c660ce3617d-03', '2026-11-24 11:38:08.777477+00', '2026-11-24 11:38:08.833746+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (22, '5338a622-b97c-4a0d-a10f-9c01d1603ac9', '320612001-20261124-000007', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"5338a622-b97c-4a0d-a10f-9c01d1603ac9","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:08.618666+08:00","datacontenttype":"application/json","data":{"category":"0109","priority":"normal","unit":"320612001.municipal","assisting_units":[],"rule":"default","reason":"rule default: 路灯 → 金沙街道市政养护站","case":{"id":"320612001-20261124-000007","status":"triaged","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:08.618666+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-20dee9b7abd76273-03"}', '00-a12f8792c13547f7c3a1b8c212c9cea1-20dee9b7abd76273-03', '2026-11-24 11:38:08.618928+00', '2026-11-24 11:38:08.680668+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (24, '74ebd9c4-ce5d-40a8-b0db-52d6a21b4bde', '320612001-20261124-000008', '320600.320612.320612001.triaged', '{"specversion":"1.0","id":"74ebd9c4-ce5d-40a8-b0db-52d6a21b4bde","source":"/centers/320612001/triage","type":"yiwang.case.triaged.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:08.639429+08:00","datacontenttype":"application/json","data":{"category":"1999","priority":"normal","unit":"320612001.command","assisting_units":[],"rule":"other-to-desk","reason":"rule other-to-desk: 其他 → 金沙街道综合指挥中心","case":{"id":"320612001-20261124-000008","status":"triaged","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:08.639429+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"system:triage"},"region":"320612001","center":"320612001","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-9c60602b8fa99862-03"}', '00-c4f3ee5a991335f56ad36fb78b7dbd58-9c60602b8fa99862-03', '2026-11-24 11:38:08.639632+00', '2026-11-24 11:38:08.680668+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (21, '4df1a78c-d94c-496b-a953-7229a580d291', '320612001-20261124-000008', '320600.320612.320612001.received', '{"specversion":"1.0","id":"4df1a78c-d94c-496b-a953-7229a580d291","source":"/centers/320612001/gateway","type":"yiwang.case.received.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:08.615095+08:00","datacontenttype":"application/json","data":{"source":"hotline","category":null,"priority":"normal","region_from":"request","location":{"lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号"},"description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","order_no":"12345-20261124-081647","kind":"consult","channel":"phone","urgent":false,"case":{"id":"320612001-20261124-000008","status":"received","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":null,"priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":null,"assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T19:34:58+08:00","created_at":"2026-11-24T19:38:08.613924+08:00","updated_at":"2026-11-24T19:38:08.615095+08:00","closed_at":null,"triage_rule":null,"traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"hotline:12345平台"},"region":"320612001","center":"320612001","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-8853285c70419b0e-03"}', '00-c4f3ee5a991335f56ad36fb78b7dbd58-8853285c70419b0e-03', '2026-11-24 11:38:08.615408+00', '2026-11-24 11:38:08.662009+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (28, '5d10107f-79f6-422d-b04b-ddecf424e3d7', '320612001-20261124-000001', '320600.320612.320612001.verified', '{"specversion":"1.0","id":"5d10107f-79f6-422d-b04b-ddecf424e3d7","source":"/centers/320612001/gateway","type":"yiwang.case.verified.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.740160+08:00","datacontenttype":"application/json","data":{"passed":true,"unit":"320612001.municipal","note":null,"media":[],"case":{"id":"320612001-20261124-000001","status":"verified","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":"0102","priority":"high","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":"320612001.municipal.t2","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.313862+00:00","updated_at":"2026-11-24T19:38:08.740160+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-019c863b70f445e717809b49e4d7532f-96dc5b69f3429363-03"}', '00-019c863b70f445e717809b49e4d7532f-96dc5b69f3429363-03', '2026-11-24 11:38:08.740433+00', '2026-11-24 11:38:08.762871+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (37, '05f3c29f-7314-41ca-969c-91ef0883739e', '320612001-20261124-000004', '320600.320612.320612001.closed', '{"specversion":"1.0","id":"05f3c29f-7314-41ca-969c-91ef0883739e","source":"/centers/320612001/feedback","type":"yiwang.case.closed.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.902824+08:00","datacontenttype":"application/json","data":{"unit":"320612001.sanitation","note":"verified on site; closed","case":{"id":"320612001-20261124-000004","status":"closed","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":"1101","priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.sanitation.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.415406+00:00","updated_at":"2026-11-24T19:38:08.902824+08:00","closed_at":"2026-11-24T19:38:08.902814+08:00","triage_rule":"default","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"system:feedback"},"region":"320612001","center":"320612001","traceparent":"00-a81ff8b48063bcb77477f2259a9e2d31-fa7b9d9f09280296-03"}', '00-a81ff8b48063bcb77477f2259a9e2d31-fa7b9d9f09280296-03', '2026-11-24 11:38:08.90309+00', '2026-11-24 11:38:08.966047+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (25, '908d61c0-84d5-44bf-a623-b43b5dd3bf9b', '320612001-20261124-000008', '320600.320612.320612001.dispatched', '{"specversion":"1.0","id":"908d61c0-84d5-44bf-a623-b43b5dd3bf9b","source":"/centers/320612001/dispatch","type":"yiwang.case.dispatched.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:08.660659+08:00","datacontenttype":"application/json","data":{"unit":"320612001.command","assisting_units":[],"case":{"id":"320612001-20261124-000008","status":"dispatched","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:08.660659+08:00","closed_at":null,"triage_rule":"other-to-desk","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"system:dispatch"},"region":"320612001","center":"320612001","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-b937492c5dcf1679-03"}', '00-c4f3ee5a991335f56ad36fb78b7dbd58-b937492c5dcf1679-03', '2026-11-24 11:38:08.660932+00', '2026-11-24 11:38:08.71404+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (27, 'dcc41fb8-376a-4d3e-838a-2a6c0cf095e0', '320612001-20261124-000001', '320600.320612.320612001.resolved', '{"specversion":"1.0","id":"dcc41fb8-376a-4d3e-838a-2a6c0cf095e0","source":"/centers/320612001/gateway","type":"yiwang.case.resolved.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.720969+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":"已处理完毕","media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"case":{"id":"320612001-20261124-000001","status":"resolved","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":"0102","priority":"high","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":"320612001.municipal.t2","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.313862+00:00","updated_at":"2026-11-24T19:38:08.720969+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"handler:320612001.municipal处置员"},"region":"320612001","center":"320612001","traceparent":"00-963a169ba16aabf1a2b11502231c60c8-1356fff9dce6376a-03"}', '00-963a169ba16aabf1a2b11502231c60c8-1356fff9dce6376a-03', '2026-11-24 11:38:08.721223+00', '2026-11-24 11:38:08.762871+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (29, 'fbbda1cd-2b01-4f03-aa4d-22a66884a5bc', '320612001-20261124-000001', '320600.320612.320612001.closed', '{"specversion":"1.0","id":"fbbda1cd-2b01-4f03-aa4d-22a66884a5bc","source":"/centers/320612001/feedback","type":"yiwang.case.closed.v1","subject":"320612001-20261124-000001","time":"2026-11-24T19:38:08.755237+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":"verified on site; closed","case":{"id":"320612001-20261124-000001","status":"closed","source":"grid","external_ref":null,"description":"人民路12号污水井盖破损，夜间危险","category":"0102","priority":"high","lon":121.07,"lat":32.08,"address":"人民路12号","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"team":"320612001.municipal.t2","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.313862+00:00","updated_at":"2026-11-24T19:38:08.755237+08:00","closed_at":"2026-11-24T19:38:08.755229+08:00","triage_rule":"default","traceparent":"00-7a2ec3e54fa60219fbde71c6bed74843-05184aa1878d4ea9-03"},"actor":"system:feedback"},"region":"320612001","center":"320612001","traceparent":"00-019c863b70f445e717809b49e4d7532f-2c73c7d4bd47c35e-03"}', '00-019c863b70f445e717809b49e4d7532f-2c73c7d4bd47c35e-03', '2026-11-24 11:38:08.7555+00', '2026-11-24 11:38:08.819179+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (33, '1b709dbc-2926-44b4-bbcc-324615a4466e', '320612001-20261124-000002', '320600.320612.320612001.closed', '{"specversion":"1.0","id":"1b709dbc-2926-44b4-bbcc-324615a4466e","source":"/centers/320612001/feedback","type":"yiwang.case.closed.v1","subject":"320612001-20261124-000002","time":"2026-11-24T19:38:08.820471+08:00","datacontenttype":"application/json","data":{"unit":"320612001.chengguan","note":"verified on site; closed","case":{"id":"320612001-20261124-000002","status":"closed","source":"grid","external_ref":null,"description":"金沙中学门口占道经营的流动摊贩","category":"1501","priority":"normal","lon":121.074,"lat":32.083,"address":"金沙中学门口","region":"320612001","center":"320612001","unit":"320612001.chengguan","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.chengguan.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.339494+00:00","updated_at":"2026-11-24T19:38:08.820471+08:00","closed_at":"2026-11-24T19:38:08.820460+08:00","triage_rule":"default","traceparent":"00-9cbcd0c6830d086fb757a68caa41c37f-91622a6248de7407-03"},"actor":"system:feedback"},"region":"320612001","center":"320612001","traceparent":"00-f0166d58febf465133dddab56f1fc1ed-88733fa0466b252a-03"}', '00-f0166d58febf465133dddab56f1fc1ed-88733fa0466b252a-03', '2026-11-24 11:38:08.820794+00', '2026-11-24 11:38:08.891449+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (35, 'c8ddff49-8a18-42f7-9925-3ee234564331', '320612001-20261124-000004', '320600.320612.320612001.resolved', '{"specversion":"1.0","id":"c8ddff49-8a18-42f7-9925-3ee234564331","source":"/centers/320612001/gateway","type":"yiwang.case.resolved.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.865241+08:00","datacontenttype":"application/json","data":{"unit":"320612001.sanitation","note":"已处理完毕","media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"case":{"id":"320612001-20261124-000004","status":"resolved","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":"1101","priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.sanitation.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.415406+00:00","updated_at":"2026-11-24T19:38:08.865241+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"handler:320612001.sanitation处置员"},"region":"320612001","center":"320612001","traceparent":"00-47269bd10ce9264a6071ff38505e2339-3371e9fc2651cabc-03"}', '00-47269bd10ce9264a6071ff38505e2339-3371e9fc2651cabc-03', '2026-11-24 11:38:08.865565+00', '2026-11-24 11:38:08.90145+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (41, '30e8b29f-78ac-46f2-84f7-4f6b3702ea40', '320612001-20261124-000008', '320600.320612.320612001.accepted', '{"specversion":"1.0","id":"30e8b29f-78ac-46f2-84f7-4f6b3702ea40","source":"/centers/320612001/gateway","type":"yiwang.case.accepted.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:08.980322+08:00","datacontenttype":"application/json","data":{"unit":"320612001.command","note":"已签收","case":{"id":"320612001-20261124-000008","status":"accepted","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:08.980322+08:00","closed_at":null,"triage_rule":"other-to-desk","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"handler:320612001.command处置员"},"region":"320612001","center":"320612001","traceparent":"00-52052cbcf3c0d3634d53888a1e568d89-377b56dcc55b0274-03"}', '00-52052cbcf3c0d3634d53888a1e568d89-377b56dcc55b0274-03', '2026-11-24 11:38:08.980644+00', '2026-11-24 11:38:09.037155+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (44, '5fdf9872-964f-42fb-b06e-565ec63fada8', '320612001-20261124-000003', '320600.320612.320612001.accepted', '{"specversion":"1.0","id":"5fdf9872-964f-42fb-b06e-565ec63fada8","source":"/centers/320612001/gateway","type":"yiwang.case.accepted.v1","subject":"320612001-20261124-000003","time":"2026-11-24T19:38:09.034216+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":null,"case":{"id":"320612001-20261124-000003","status":"accepted","source":"grid","external_ref":null,"description":"建设路与新金路交叉口路灯不亮","category":"0109","priority":"normal","lon":121.066,"lat":32.077,"address":"建设路新金路口","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.371597+00:00","updated_at":"2026-11-24T19:38:09.034216+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-8dfa4ceaadd672568da043d141990a8d-cd67e0ffce67ae77-03"},"actor":"handler:320612001.municipal处置员"},"region":"320612001","center":"320612001","traceparent":"00-237fdc3dc3b2277ed9fe53111fe12df5-e6cd5da7ce9bba7e-03"}', '00-237fdc3dc3b2277ed9fe53111fe12df5-e6cd5da7ce9bba7e-03', '2026-11-24 11:38:09.034459+00', '2026-11-24 11:38:09.092143+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (36, '92e8b570-8a25-4c3a-86f4-306e8d4fc6e2', '320612001-20261124-000004', '320600.320612.320612001.verified', '{"specversion":"1.0","id":"92e8b570-8a25-4c3a-86f4-306e8d4fc6e2","source":"/centers/320612001/gateway","type":"yiwang.case.verified.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.890201+08:00","datacontenttype":"application/json","data":{"passed":true,"unit":"320612001.sanitation","note":null,"media":[],"case":{"id":"320612001-20261124-000004","status":"verified","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":"1101","priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.sanitation.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.415406+00:00","updated_at":"2026-11-24T19:38:08.890201+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-a81ff8b48063bcb77477f2259a9e2d31-18916c124d706ff2-03"}', '00-a81ff8b48063bcb77477f2259a9e2d31-18916c124d706ff2-03', '2026-11-24 11:38:08.890477+00', '2026-11-24 11:38:08.90145+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (48, '3539eb87-3e15-4954-9a84-4ddc9216e3a6', '320612001-20261124-000007', '320600.320612.320612001.closed', '{"specversion":"1.0","id":"3539eb87-3e15-4954-9a84-4ddc9216e3a6","source":"/centers/320612001/gateway","type":"yiwang.case.closed.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:12.984159+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":"回访满意，结案","case":{"id":"320612001-20261124-000007","status":"closed","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":"satisfied","returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:12.984159+08:00","closed_at":"2026-11-24T19:38:12.984148+08:00","triage_rule":"default","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"system:feedback"},"region":"320612001","center":"320612001","traceparent":"00-67dcf923cc14f43505833ab53ba63651-726d3bc0edbfc3f8-03"}', '00-67dcf923cc14f43505833ab53ba63651-726d3bc0edbfc3f8-03', '2026-11-24 11:38:12.98447+00', '2026-11-24 11:38:13.019986+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (45, '35e764a3-71e1-4349-9e34-a0dfadbc3574', '320612001-20261124-000008', '320600.320612.320612001.visited', '{"specversion":"1.0","id":"35e764a3-71e1-4349-9e34-a0dfadbc3574","source":"/centers/320612001/gateway","type":"yiwang.case.visited.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:12.920959+08:00","datacontenttype":"application/json","data":{"resolved":true,"satisfaction":"satisfied","comment":null,"unit":"320612001.command","case":{"id":"320612001-20261124-000008","status":"verified","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":"satisfied","returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:12.920959+08:00","closed_at":null,"triage_rule":"other-to-desk","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"hotline:12345平台"},"region":"320612001","center":"320612001","traceparent":"00-694b815fdae6ae9bb475e862fdb47a87-e495a072ad150574-03"}', '00-694b815fdae6ae9bb475e862fdb47a87-e495a072ad150574-03', '2026-11-24 11:38:12.921253+00', '2026-11-24 11:38:13.019986+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (34, '90868a34-593e-450f-af21-060166d6c80b', '320612001-20261124-000004', '320600.320612.320612001.accepted', '{"specversion":"1.0","id":"90868a34-593e-450f-af21-060166d6c80b","source":"/centers/320612001/gateway","type":"yiwang.case.accepted.v1","subject":"320612001-20261124-000004","time":"2026-11-24T19:38:08.841614+08:00","datacontenttype":"application/json","data":{"unit":"320612001.sanitation","note":"已签收","case":{"id":"320612001-20261124-000004","status":"accepted","source":"desk","external_ref":null,"description":"小区门口垃圾满溢三天无人清运","category":"1101","priority":"normal","lon":121.071,"lat":32.086,"address":"金沙花园北门","region":"320612001","center":"320612001","unit":"320612001.sanitation","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":"320612001.sanitation.t1","group_key":null,"alert_count":0,"deadline_caps":{},"occurred_at":null,"created_at":"2026-11-24T11:38:08.415406+00:00","updated_at":"2026-11-24T19:38:08.841614+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-54ac4f9e278bc14de63a11d7852035a7-f9116f0f9132a7f9-03"},"actor":"handler:320612001.sanitation处置员"},"region":"320612001","center":"320612001","traceparent":"00-8dd97bc30b1247644bdd92cfdbb6f57e-aa3fa8c883a644a0-03"}', '00-8dd97bc30b1247644bdd92cfdbb6f57e-aa3fa8c883a644a0-03', '2026-11-24 11:38:08.841853+00', '2026-11-24 11:38:08.90145+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (47, '2173c0e9-db9a-47cf-804c-51b5a65c5ae3', '320612001-20261124-000007', '320600.320612.320612001.visited', '{"specversion":"1.0","id":"2173c0e9-db9a-47cf-804c-51b5a65c5ae3","source":"/centers/320612001/gateway","type":"yiwang.case.visited.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:12.977352+08:00","datacontenttype":"application/json","data":{"resolved":true,"satisfaction":"satisfied","comment":null,"unit":"320612001.municipal","case":{"id":"320612001-20261124-000007","status":"verified","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":"satisfied","returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:12.977352+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"hotline:12345平台"},"region":"320612001","center":"320612001","traceparent":"00-67dcf923cc14f43505833ab53ba63651-94f12079f961c681-03"}', '00-67dcf923cc14f43505833ab53ba63651-94f12079f961c681-03', '2026-11-24 11:38:12.977701+00', '2026-11-24 11:38:13.019986+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (38, '78f81887-527e-4e17-8688-25db4b0eab0b', '320612001-20261124-000007', '320600.320612.320612001.accepted', '{"specversion":"1.0","id":"78f81887-527e-4e17-8688-25db4b0eab0b","source":"/centers/320612001/gateway","type":"yiwang.case.accepted.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:08.921688+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":"已签收","case":{"id":"320612001-20261124-000007","status":"accepted","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:08.921688+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"handler:320612001.municipal处置员"},"region":"320612001","center":"320612001","traceparent":"00-ab197f3adac0febb44dbd29146bc16de-64f904ca59c2e5bb-03"}', '00-ab197f3adac0febb44dbd29146bc16de-64f904ca59c2e5bb-03', '2026-11-24 11:38:08.921924+00', '2026-11-24 11:38:08.978797+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (39, 'a235a2da-d48e-4796-8f23-f226f19b2018', '320612001-20261124-000007', '320600.320612.320612001.resolved', '{"specversion":"1.0","id":"a235a2da-d48e-4796-8f23-f226f19b2018","source":"/centers/320612001/gateway","type":"yiwang.case.resolved.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:08.936505+08:00","datacontenttype":"application/json","data":{"unit":"320612001.municipal","note":"已处理完毕","media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"case":{"id":"320612001-20261124-000007","status":"resolved","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:08.936505+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"handler:320612001.municipal处置员"},"region":"320612001","center":"320612001","traceparent":"00-156edd773e28642ae57a2270829b75cc-7c64742e7b81ef1e-03"}', '00-156edd773e28642ae57a2270829b75cc-7c64742e7b81ef1e-03', '2026-11-24 11:38:08.936826+00', '2026-11-24 11:38:08.978797+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (40, '8c4b21e9-d4b5-411a-808f-fecda34c1506', '320612001-20261124-000007', '320600.320612.320612001.verified', '{"specversion":"1.0","id":"8c4b21e9-d4b5-411a-808f-fecda34c1506","source":"/centers/320612001/gateway","type":"yiwang.case.verified.v1","subject":"320612001-20261124-000007","time":"2026-11-24T19:38:08.955872+08:00","datacontenttype":"application/json","data":{"passed":true,"unit":"320612001.municipal","note":null,"media":[],"case":{"id":"320612001-20261124-000007","status":"verified","source":"hotline","external_ref":"12345-20261124-081646","description":"【投诉】碧华苑8幢路灯问题：我是附近的居民，碧华苑8幢的路灯好几个晚上都不亮了，走夜路黑乎乎的，之前打过电话还是没解决，请督促相关部门处理。","category":"0109","priority":"normal","lon":120.951192,"lat":32.008605,"address":"南通市通州区金沙街道银河路碧华苑8幢","region":"320612001","center":"320612001","unit":"320612001.municipal","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T19:33:27+08:00"},"occurred_at":"2026-11-24T11:33:27+00:00","created_at":"2026-11-24T11:38:08.597948+00:00","updated_at":"2026-11-24T19:38:08.955872+08:00","closed_at":null,"triage_rule":"default","traceparent":"00-a12f8792c13547f7c3a1b8c212c9cea1-9c830cd244f013c8-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-79ce4eebb8cfbd74e9b9aef6fa415a53-2bf0bef76bc2dfde-03"}', '00-79ce4eebb8cfbd74e9b9aef6fa415a53-2bf0bef76bc2dfde-03', '2026-11-24 11:38:08.956115+00', '2026-11-24 11:38:08.978797+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (42, 'a442d00c-276e-49d9-a132-cea0b6bf22f7', '320612001-20261124-000008', '320600.320612.320612001.resolved', '{"specversion":"1.0","id":"a442d00c-276e-49d9-a132-cea0b6bf22f7","source":"/centers/320612001/gateway","type":"yiwang.case.resolved.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:08.994087+08:00","datacontenttype":"application/json","data":{"unit":"320612001.command","note":"已处理完毕","media":["m_OMhNqA-MOeyBTIOAddU-PzAR"],"case":{"id":"320612001-20261124-000008","status":"resolved","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:08.994087+08:00","closed_at":null,"triage_rule":"other-to-desk","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"handler:320612001.command处置员"},"region":"320612001","center":"320612001","traceparent":"00-7318d03584cf7be10993408fc0f338e6-54ea241c77b26e80-03"}', '00-7318d03584cf7be10993408fc0f338e6-54ea241c77b26e80-03', '2026-11-24 11:38:08.994324+00', '2026-11-24 11:38:09.037155+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (43, '1abc965e-ef5a-48a2-ae91-c630ffa955f2', '320612001-20261124-000008', '320600.320612.320612001.verified', '{"specversion":"1.0","id":"1abc965e-ef5a-48a2-ae91-c630ffa955f2","source":"/centers/320612001/gateway","type":"yiwang.case.verified.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:09.012935+08:00","datacontenttype":"application/json","data":{"passed":true,"unit":"320612001.command","note":null,"media":[],"case":{"id":"320612001-20261124-000008","status":"verified","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":null,"returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:09.012935+08:00","closed_at":null,"triage_rule":"other-to-desk","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"gridworker:网格员小李"},"region":"320612001","center":"320612001","traceparent":"00-78b7096390b4056606e93d4e6cb723d7-69c765a0c6781973-03"}', '00-78b7096390b4056606e93d4e6cb723d7-69c765a0c6781973-03', '2026-11-24 11:38:09.013198+00', '2026-11-24 11:38:09.037155+00');
INSERT INTO public.outbox (id, event_id, case_id, routing_key, body, traceparent, created_at, sent_at) VALUES (46, '1d11aa52-757f-485e-bfaa-d4b65ba5a152', '320612001-20261124-000008', '320600.320612.320612001.closed', '{"specversion":"1.0","id":"1d11aa52-757f-485e-bfaa-d4b65ba5a152","source":"/centers/320612001/gateway","type":"yiwang.case.closed.v1","subject":"320612001-20261124-000008","time":"2026-11-24T19:38:12.938469+08:00","datacontenttype":"application/json","data":{"unit":"320612001.command","note":"回访满意，结案","case":{"id":"320612001-20261124-000008","status":"closed","source":"hotline","external_ref":"12345-20261124-081647","description":"【咨询】居住证办理：咨询一下，外地户口办居住证需要带哪些材料，在哪里办？","category":"1999","priority":"normal","lon":null,"lat":null,"address":"南通市通州区金沙街道碧华路354号","region":"320612001","center":"320612001","unit":"320612001.command","assisting_units":[],"return_count":0,"rework_count":0,"supervision_level":0,"extension_count":0,"extension_pending":false,"merged_into":null,"reporters_count":1,"satisfaction":"satisfied","returned_by":[],"media":[],"team":null,"group_key":null,"alert_count":0,"deadline_caps":{"resolve_by":"2026-11-27T17:30:00+08:00"},"occurred_at":"2026-11-24T11:34:58+00:00","created_at":"2026-11-24T11:38:08.613924+00:00","updated_at":"2026-11-24T19:38:12.938469+08:00","closed_at":"2026-11-24T19:38:12.938453+08:00","triage_rule":"other-to-desk","traceparent":"00-c4f3ee5a991335f56ad36fb78b7dbd58-908b461b48b44463-03"},"actor":"system:feedback"},"region":"320612001","center":"320612001","traceparent":"00-694b815fdae6ae9bb475e862fdb47a87-fb9be72453bc4cee-03"}', '00-694b815fdae6ae9bb475e862fdb47a87-fb9be72453bc4cee-03', '2026-11-24 11:38:12.940283+00', '2026-11-24 11:38:13.019986+00');


--
-- Data for Name: reporter; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (1, '320612001-20261124-000001', '320612001-20261124-000001', 'grid', NULL, NULL, '张先生', 'gAAAAABrBXcgzXXjRkflrKfvzZXiHd5zQbMK-AU4d5ksC_ijG4lQtdrIzHEt6NfAVyEsrCuzm1k0NnE6PzYR7Zx5zmvl-OMiyw==', '2026-11-24 11:38:08.313862+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (2, '320612001-20261124-000002', '320612001-20261124-000002', 'grid', NULL, NULL, NULL, NULL, '2026-11-24 11:38:08.339494+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (3, '320612001-20261124-000003', '320612001-20261124-000003', 'grid', NULL, NULL, NULL, NULL, '2026-11-24 11:38:08.371597+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (4, '320612001-20261124-000004', '320612001-20261124-000004', 'desk', NULL, NULL, NULL, NULL, '2026-11-24 11:38:08.415406+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (5, '320612001-20261124-000005', '320612001-20261124-000005', 'open311', NULL, NULL, '陈丽', NULL, '2026-11-24 11:38:08.449562+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (6, '320612001-20261124-000006', '320612001-20261124-000006', 'sensor', NULL, NULL, NULL, NULL, '2026-11-24 11:38:08.491066+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (7, '320612001-20261124-000007', '320612001-20261124-000007', 'hotline', '12345-20261124-081646', 'wechat', '王女士', 'gAAAAABrBXcgsPIMI5UjUkTVWx_oGNaC42ASk9a4aZS3DvHhwVy0CGLBSxQ1dqGGDov_TPuCWiDT7GtebB878xpafomveJ0oXg==', '2026-11-24 11:38:08.597948+00');
INSERT INTO public.reporter (id, case_id, reported_case_id, source, external_ref, channel, name, phone_sealed, created_at) VALUES (8, '320612001-20261124-000008', '320612001-20261124-000008', 'hotline', '12345-20261124-081647', 'phone', '梁先生', 'gAAAAABrBXcgltPAz5GDL_cvhZtUsQvaj6w7hcbVav-zT8304vOAhmb1JNvy7HL6_KQCAN9vw38-gVPkv0DX0yk38BQhpnAYvg==', '2026-11-24 11:38:08.613924+00');


--
-- Data for Name: sensor; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.sensor (sensor_id, kind, lon, lat, address, last_seen_at, next_due_at, offline_case_id) VALUES ('WL-JS-007', 'waterlogging', 121.072, 32.079, '金沙东路下穿', '2026-11-24 11:38:08.513479+00', '2026-11-24 12:23:08.513479+00', NULL);
INSERT INTO public.sensor (sensor_id, kind, lon, lat, address, last_seen_at, next_due_at, offline_case_id) VALUES ('GAS-JS-002', 'heartbeat', 121.068, 32.084, NULL, '2026-11-24 11:38:08.544116+00', '2026-11-24 12:08:08.544116+00', NULL);


--
-- Data for Name: timeline; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (1, '5f6c8dff-55a6-412f-bdc0-32254c760fb7', '320612001-20261124-000001', '2026-11-24 11:38:08.314939+00', 'received', '320612001', 'gridworker:网格员小李', NULL, NULL, '{"source": "grid", "priority": "normal", "region_from": "boundary", "location": {"lon": 121.07, "lat": 32.08, "address": "\u4eba\u6c11\u8def12\u53f7"}, "description": "\u4eba\u6c11\u8def12\u53f7\u6c61\u6c34\u4e95\u76d6\u7834\u635f\uff0c\u591c\u95f4\u5371\u9669"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (2, '3570133d-9a4a-4162-b8c4-cd3f9c4e9c48', '320612001-20261124-000002', '2026-11-24 11:38:08.341398+00', 'received', '320612001', 'gridworker:网格员小李', NULL, NULL, '{"source": "grid", "priority": "normal", "region_from": "boundary", "location": {"lon": 121.074, "lat": 32.083, "address": "\u91d1\u6c99\u4e2d\u5b66\u95e8\u53e3"}, "description": "\u91d1\u6c99\u4e2d\u5b66\u95e8\u53e3\u5360\u9053\u7ecf\u8425\u7684\u6d41\u52a8\u644a\u8d29"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (3, 'a5d273b1-da59-4a15-b571-fe4ed973a3e0', '320612001-20261124-000001', '2026-11-24 11:38:08.36437+00', 'triaged', '320612001', 'system:triage', '320612001.municipal', 'rule default: 污水井盖 → 金沙街道市政养护站', '{"category": "0102", "priority": "high", "unit": "320612001.municipal", "rule": "default"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (4, 'e0c0daa1-1adb-49e9-960c-91a27da123c3', '320612001-20261124-000003', '2026-11-24 11:38:08.377178+00', 'received', '320612001', 'gridworker:网格员小李', NULL, NULL, '{"source": "grid", "priority": "normal", "region_from": "boundary", "location": {"lon": 121.066, "lat": 32.077, "address": "\u5efa\u8bbe\u8def\u65b0\u91d1\u8def\u53e3"}, "description": "\u5efa\u8bbe\u8def\u4e0e\u65b0\u91d1\u8def\u4ea4\u53c9\u53e3\u8def\u706f\u4e0d\u4eae"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (5, '5784c1d1-adf0-4526-b2a9-0d22be9223d7', '320612001-20261124-000002', '2026-11-24 11:38:08.394678+00', 'triaged', '320612001', 'system:triage', '320612001.chengguan', 'rule default: 占道经营 → 金沙街道城管中队', '{"category": "1501", "priority": "normal", "unit": "320612001.chengguan", "rule": "default"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (6, '4774fbca-599d-410a-bcaf-d0181eb1d81c', '320612001-20261124-000003', '2026-11-24 11:38:08.406702+00', 'triaged', '320612001', 'system:triage', '320612001.municipal', 'rule default: 路灯 → 金沙街道市政养护站', '{"category": "0109", "priority": "normal", "unit": "320612001.municipal", "rule": "default"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (7, '08ccd1b8-da69-477d-953f-c90824e64514', '320612001-20261124-000001', '2026-11-24 11:38:08.408213+00', 'dispatched', '320612001', 'system:dispatch', '320612001.municipal', 'nearest available team: 金沙街道市政养护站二班, 2273 m away', '{"unit": "320612001.municipal", "team": "320612001.municipal.t2", "team_name": "\u91d1\u6c99\u8857\u9053\u5e02\u653f\u517b\u62a4\u7ad9\u4e8c\u73ed", "distance_m": 2273}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (8, '672139aa-a11d-4647-9db9-4cd96a4bbd84', '320612001-20261124-000002', '2026-11-24 11:38:08.414758+00', 'dispatched', '320612001', 'system:dispatch', '320612001.chengguan', 'nearest available team: 金沙街道城管中队一分队, 962 m away', '{"unit": "320612001.chengguan", "team": "320612001.chengguan.t1", "team_name": "\u91d1\u6c99\u8857\u9053\u57ce\u7ba1\u4e2d\u961f\u4e00\u5206\u961f", "distance_m": 962}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (9, '475507bd-f93a-4594-9be6-dc9e3c34694d', '320612001-20261124-000004', '2026-11-24 11:38:08.418029+00', 'received', '320612001', 'dispatcher:值班长王芳', NULL, NULL, '{"source": "desk", "priority": "normal", "region_from": "boundary", "location": {"lon": 121.071, "lat": 32.086, "address": "\u91d1\u6c99\u82b1\u56ed\u5317\u95e8"}, "description": "\u5c0f\u533a\u95e8\u53e3\u5783\u573e\u6ee1\u6ea2\u4e09\u5929\u65e0\u4eba\u6e05\u8fd0"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (10, '0342a7f3-e422-4fc0-949e-de2ceb4615fc', '320612001-20261124-000003', '2026-11-24 11:38:08.428933+00', 'dispatched', '320612001', 'system:dispatch', '320612001.municipal', NULL, '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (11, '6fa0fba8-62ab-4991-8824-ccdb77b69f3d', '320612001-20261124-000004', '2026-11-24 11:38:08.450297+00', 'triaged', '320612001', 'system:triage', '320612001.sanitation', 'rule default: 暴露垃圾 → 金沙街道环卫所', '{"category": "1101", "priority": "normal", "unit": "320612001.sanitation", "rule": "default"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (12, 'f92edccd-c1b0-4ccd-acb5-e7d9f20975d0', '320612001-20261124-000005', '2026-11-24 11:38:08.452372+00', 'received', '320612001', 'citizen:市民App', NULL, NULL, '{"source": "open311", "category": "1101", "priority": "normal", "region_from": "boundary", "location": {"lon": 121.069, "lat": 32.081, "address": "\u91d1\u4e50\u8def88\u53f7"}, "description": "\u8def\u8fb9\u5806\u653e\u5efa\u7b51\u5783\u573e"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (13, '72bf9d40-a9b9-48b7-a64b-23a28c5289a5', '320612001-20261124-000004', '2026-11-24 11:38:08.474284+00', 'dispatched', '320612001', 'system:dispatch', '320612001.sanitation', 'nearest available team: 金沙街道环卫所一组, 1478 m away', '{"unit": "320612001.sanitation", "team": "320612001.sanitation.t1", "team_name": "\u91d1\u6c99\u8857\u9053\u73af\u536b\u6240\u4e00\u7ec4", "distance_m": 1478}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (14, '9c6cb8f7-25c6-46ca-af28-73ec091e4a26', '320612001-20261124-000005', '2026-11-24 11:38:08.478847+00', 'triaged', '320612001', 'system:triage', '320612001.sanitation', 'rule default: 暴露垃圾 → 金沙街道环卫所', '{"category": "1101", "priority": "normal", "unit": "320612001.sanitation", "rule": "default"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (15, '76a42d4c-2760-41db-bac8-6d40f52da7c1', '320612001-20261124-000006', '2026-11-24 11:38:08.49528+00', 'received', '320612001', 'sensor:物联感知平台', NULL, NULL, '{"source": "sensor", "category": "1402", "priority": "high", "region_from": "boundary", "location": {"lon": 121.072, "lat": 32.079, "address": "\u91d1\u6c99\u4e1c\u8def\u4e0b\u7a7f"}, "description": "\u9053\u8def\u79ef\u6c34\u8d85\u8b66\uff08\u4f20\u611f\u5668 WL-JS-007\uff0c\u9884\u8b66\uff09\uff1a\u76d1\u6d4b\u503c 0.8\uff0c\u9608\u503c 0.5", "sensor_id": "WL-JS-007", "alert_type": "waterlogging", "level": "warning", "value": 0.8, "threshold": 0.5, "observed_at": "2026-11-24T11:38:08.466159+00:00"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (16, 'da6364ef-9b44-486f-8630-5afd03658757', '320612001-20261124-000005', '2026-11-24 11:38:08.507978+00', 'dispatched', '320612001', 'system:dispatch', '320612001.sanitation', 'nearest available team: 金沙街道环卫所二组, 1361 m away', '{"unit": "320612001.sanitation", "team": "320612001.sanitation.t2", "team_name": "\u91d1\u6c99\u8857\u9053\u73af\u536b\u6240\u4e8c\u7ec4", "distance_m": 1361}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (17, 'ec14acdc-00ac-4133-8210-98e5d0d5c06d', '320612001-20261124-000006', '2026-11-24 11:38:08.522587+00', 'triaged', '320612001', 'system:triage', '320612001.municipal', 'rule urgent-sensor-here: 道路积水 → 金沙街道市政养护站', '{"category": "1402", "priority": "urgent", "unit": "320612001.municipal", "rule": "urgent-sensor-here"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (18, '26aff51b-cca4-4a6f-9bb5-f51e784cebe4', '320612001-20261124-000006', '2026-11-24 11:38:08.530253+00', 'alert_grouped', '320612001', 'sensor:物联感知平台', '320612001.municipal', NULL, '{"sensor_id": "WL-JS-007", "alert_type": "waterlogging", "level": "warning", "value": 1.1, "threshold": 0.5, "observed_at": "2026-11-24T11:38:09.466159+00:00", "count": 2}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (19, 'f7d45494-d316-4d29-a7c2-87e86ab2c0a2', '320612001-20261124-000006', '2026-11-24 11:38:08.536625+00', 'dispatched', '320612001', 'system:dispatch', '320612001.municipal', NULL, '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (20, 'd2ebdbfd-bc7c-482c-8b88-f4d1d48a4d45', '320612001-20261124-000007', '2026-11-24 11:38:08.599017+00', 'received', '320612001', 'hotline:12345平台', NULL, NULL, '{"source": "hotline", "priority": "normal", "region_from": "request", "location": {"lon": 120.951192, "lat": 32.008605, "address": "\u5357\u901a\u5e02\u901a\u5dde\u533a\u91d1\u6c99\u8857\u9053\u94f6\u6cb3\u8def\u78a7\u534e\u82d18\u5e62"}, "description": "\u3010\u6295\u8bc9\u3011\u78a7\u534e\u82d18\u5e62\u8def\u706f\u95ee\u9898\uff1a\u6211\u662f\u9644\u8fd1\u7684\u5c45\u6c11\uff0c\u78a7\u534e\u82d18\u5e62\u7684\u8def\u706f\u597d\u51e0\u4e2a\u665a\u4e0a\u90fd\u4e0d\u4eae\u4e86\uff0c\u8d70\u591c\u8def\u9ed1\u4e4e\u4e4e\u7684\uff0c\u4e4b\u524d\u6253\u8fc7\u7535\u8bdd\u8fd8\u662f\u6ca1\u89e3\u51b3\uff0c\u8bf7\u7763\u4fc3\u76f8\u5173\u90e8\u95e8\u5904\u7406\u3002", "order_no": "12345-20261124-081646", "kind": "complaint", "channel": "wechat", "urgent": false}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (21, '4df1a78c-d94c-496b-a953-7229a580d291', '320612001-20261124-000008', '2026-11-24 11:38:08.615095+00', 'received', '320612001', 'hotline:12345平台', NULL, NULL, '{"source": "hotline", "priority": "normal", "region_from": "request", "location": {"lon": null, "lat": null, "address": "\u5357\u901a\u5e02\u901a\u5dde\u533a\u91d1\u6c99\u8857\u9053\u78a7\u534e\u8def354\u53f7"}, "description": "\u3010\u54a8\u8be2\u3011\u5c45\u4f4f\u8bc1\u529e\u7406\uff1a\u54a8\u8be2\u4e00\u4e0b\uff0c\u5916\u5730\u6237\u53e3\u529e\u5c45\u4f4f\u8bc1\u9700\u8981\u5e26\u54ea\u4e9b\u6750\u6599\uff0c\u5728\u54ea\u91cc\u529e\uff1f", "order_no": "12345-20261124-081647", "kind": "consult", "channel": "phone", "urgent": false}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (26, 'bf2243c4-0dbe-406a-bd1e-16dea261f435', '320612001-20261124-000001', '2026-11-24 11:38:08.703285+00', 'accepted', '320612001', 'handler:320612001.municipal处置员', '320612001.municipal', '已签收', '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (34, '90868a34-593e-450f-af21-060166d6c80b', '320612001-20261124-000004', '2026-11-24 11:38:08.841614+00', 'accepted', '320612001', 'handler:320612001.sanitation处置员', '320612001.sanitation', '已签收', '{"unit": "320612001.sanitation"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (40, '8c4b21e9-d4b5-411a-808f-fecda34c1506', '320612001-20261124-000007', '2026-11-24 11:38:08.955872+00', 'verified', '320612001', 'gridworker:网格员小李', '320612001.municipal', NULL, '{"passed": true, "unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (45, '35e764a3-71e1-4349-9e34-a0dfadbc3574', '320612001-20261124-000008', '2026-11-24 11:38:12.920959+00', 'visited', '320612001', 'hotline:12345平台', '320612001.command', NULL, '{"resolved": true, "satisfaction": "satisfied", "unit": "320612001.command"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (46, '1d11aa52-757f-485e-bfaa-d4b65ba5a152', '320612001-20261124-000008', '2026-11-24 11:38:12.938469+00', 'closed', '320612001', 'system:feedback', '320612001.command', '回访满意，结案', '{"unit": "320612001.command"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (22, '5338a622-b97c-4a0d-a10f-9c01d1603ac9', '320612001-20261124-000007', '2026-11-24 11:38:08.618666+00', 'triaged', '320612001', 'system:triage', '320612001.municipal', 'rule default: 路灯 → 金沙街道市政养护站', '{"category": "0109", "priority": "normal", "unit": "320612001.municipal", "rule": "default"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (28, '5d10107f-79f6-422d-b04b-ddecf424e3d7', '320612001-20261124-000001', '2026-11-24 11:38:08.74016+00', 'verified', '320612001', 'gridworker:网格员小李', '320612001.municipal', NULL, '{"passed": true, "unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (37, '05f3c29f-7314-41ca-969c-91ef0883739e', '320612001-20261124-000004', '2026-11-24 11:38:08.902824+00', 'closed', '320612001', 'system:feedback', '320612001.sanitation', 'verified on site; closed', '{"unit": "320612001.sanitation"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (38, '78f81887-527e-4e17-8688-25db4b0eab0b', '320612001-20261124-000007', '2026-11-24 11:38:08.921688+00', 'accepted', '320612001', 'handler:320612001.municipal处置员', '320612001.municipal', '已签收', '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (39, 'a235a2da-d48e-4796-8f23-f226f19b2018', '320612001-20261124-000007', '2026-11-24 11:38:08.936505+00', 'resolved', '320612001', 'handler:320612001.municipal处置员', '320612001.municipal', '已处理完毕', '{"unit": "320612001.municipal", "media": ["m_OMhNqA-MOeyBTIOAddU-PzAR"]}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (43, '1abc965e-ef5a-48a2-ae91-c630ffa955f2', '320612001-20261124-000008', '2026-11-24 11:38:09.012935+00', 'verified', '320612001', 'gridworker:网格员小李', '320612001.command', NULL, '{"passed": true, "unit": "320612001.command"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (23, '74ebd9c4-ce5d-40a8-b0db-52d6a21b4bde', '320612001-20261124-000008', '2026-11-24 11:38:08.639429+00', 'triaged', '320612001', 'system:triage', '320612001.command', 'rule other-to-desk: 其他 → 金沙街道综合指挥中心', '{"category": "1999", "priority": "normal", "unit": "320612001.command", "rule": "other-to-desk"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (32, '26f1dac8-02f7-4382-a829-b9cf5baf1c11', '320612001-20261124-000002', '2026-11-24 11:38:08.810876+00', 'verified', '320612001', 'gridworker:网格员小李', '320612001.chengguan', NULL, '{"passed": true, "unit": "320612001.chengguan"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (47, '2173c0e9-db9a-47cf-804c-51b5a65c5ae3', '320612001-20261124-000007', '2026-11-24 11:38:12.977352+00', 'visited', '320612001', 'hotline:12345平台', '320612001.municipal', NULL, '{"resolved": true, "satisfaction": "satisfied", "unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (48, '3539eb87-3e15-4954-9a84-4ddc9216e3a6', '320612001-20261124-000007', '2026-11-24 11:38:12.984159+00', 'closed', '320612001', 'system:feedback', '320612001.municipal', '回访满意，结案', '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (24, 'dd0faf45-17fa-401b-9c5c-d5e946d233de', '320612001-20261124-000007', '2026-11-24 11:38:08.637045+00', 'dispatched', '320612001', 'system:dispatch', '320612001.municipal', NULL, '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (30, 'e8e24148-3a60-4e9d-bd16-ac9d26e92922', '320612001-20261124-000002', '2026-11-24 11:38:08.777215+00', 'accepted', '320612001', 'handler:320612001.chengguan处置员', '320612001.chengguan', '已签收', '{"unit": "320612001.chengguan"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (31, '8095464e-9497-4aff-86ac-3fa637517617', '320612001-20261124-000002', '2026-11-24 11:38:08.791759+00', 'resolved', '320612001', 'handler:320612001.chengguan处置员', '320612001.chengguan', '已处理完毕', '{"unit": "320612001.chengguan", "media": ["m_OMhNqA-MOeyBTIOAddU-PzAR"]}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (36, '92e8b570-8a25-4c3a-86f4-306e8d4fc6e2', '320612001-20261124-000004', '2026-11-24 11:38:08.890201+00', 'verified', '320612001', 'gridworker:网格员小李', '320612001.sanitation', NULL, '{"passed": true, "unit": "320612001.sanitation"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (25, '908d61c0-84d5-44bf-a623-b43b5dd3bf9b', '320612001-20261124-000008', '2026-11-24 11:38:08.660659+00', 'dispatched', '320612001', 'system:dispatch', '320612001.command', NULL, '{"unit": "320612001.command"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (27, 'dcc41fb8-376a-4d3e-838a-2a6c0cf095e0', '320612001-20261124-000001', '2026-11-24 11:38:08.720969+00', 'resolved', '320612001', 'handler:320612001.municipal处置员', '320612001.municipal', '已处理完毕', '{"unit": "320612001.municipal", "media": ["m_OMhNqA-MOeyBTIOAddU-PzAR"]}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (29, 'fbbda1cd-2b01-4f03-aa4d-22a66884a5bc', '320612001-20261124-000001', '2026-11-24 11:38:08.755237+00', 'closed', '320612001', 'system:feedback', '320612001.municipal', 'verified on site; closed', '{"unit": "320612001.municipal"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (33, '1b709dbc-2926-44b4-bbcc-324615a4466e', '320612001-20261124-000002', '2026-11-24 11:38:08.820471+00', 'closed', '320612001', 'system:feedback', '320612001.chengguan', 'verified on site; closed', '{"unit": "320612001.chengguan"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (35, 'c8ddff49-8a18-42f7-9925-3ee234564331', '320612001-20261124-000004', '2026-11-24 11:38:08.865241+00', 'resolved', '320612001', 'handler:320612001.sanitation处置员', '320612001.sanitation', '已处理完毕', '{"unit": "320612001.sanitation", "media": ["m_OMhNqA-MOeyBTIOAddU-PzAR"]}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (41, '30e8b29f-78ac-46f2-84f7-4f6b3702ea40', '320612001-20261124-000008', '2026-11-24 11:38:08.980322+00', 'accepted', '320612001', 'handler:320612001.command处置员', '320612001.command', '已签收', '{"unit": "320612001.command"}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (42, 'a442d00c-276e-49d9-a132-cea0b6bf22f7', '320612001-20261124-000008', '2026-11-24 11:38:08.994087+00', 'resolved', '320612001', 'handler:320612001.command处置员', '320612001.command', '已处理完毕', '{"unit": "320612001.command", "media": ["m_OMhNqA-MOeyBTIOAddU-PzAR"]}');
INSERT INTO public.timeline (id, event_id, case_id, at, type, center, actor, unit, note, data) VALUES (44, '5fdf9872-964f-42fb-b06e-565ec63fada8', '320612001-20261124-000003', '2026-11-24 11:38:09.034216+00', 'accepted', '320612001', 'handler:320612001.municipal处置员', '320612001.municipal', NULL, '{"unit": "320612001.municipal"}');


--
-- Data for Name: token; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (1, '0c47621357526e568fc150251b04c6ce3abe87305cae37b6245411fc91230a4a', 'gridworker', '320612001', NULL, '网格员小李', '2026-11-24 11:38:08.220942+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (2, '961671114eb685b6707e45a22105553acecb507a71280564be81d6663ee81169', 'dispatcher', '320612001', NULL, '值班长王芳', '2026-11-24 11:38:08.226895+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (3, '3ef7151050b6d163b8528f117fc9e676cba01d3227349feffe15bdd649e4866e', 'viewer', '320612001', NULL, '指挥大厅', '2026-11-24 11:38:08.230078+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (4, '4adf54c1d5d76e46f13909bfff554a71ca314e8db78172f1a690cfbd40017d74', 'citizen', '320612001', NULL, '市民App', '2026-11-24 11:38:08.232727+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (5, '7c1981751a7a0179ec56bc6e6492e6d9c7b42de084397c04e8e13562c0818d24', 'sensor', '320612001', NULL, '物联感知平台', '2026-11-24 11:38:08.235095+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (6, '46b5b022b04efe1d2280efb13b22762ed6827e06be8cfaf1212410ebd6ae0141', 'hotline', '320612001', NULL, '12345平台', '2026-11-24 11:38:08.237341+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (7, 'ec6a5f9097f8785e7733b6932093c25a5c3433c3bbaba3d6dbc4284ddefb743c', 'viewer', '320612001', NULL, '临时账号', '2026-11-24 11:38:08.239498+00', '2026-11-24 11:38:08.241727+00');
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (8, '2a1bae419b435c063d6122db0304d41f7cf5821b14163d5fc363c5c18b333e2f', 'handler', '320612001', '320612001.municipal', '320612001.municipal处置员', '2026-11-24 11:38:08.695758+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (9, '27f2cc50bf74c76524845212aa3866475052fde6cf6c74e735c350562b373602', 'handler', '320612001', '320612001.chengguan', '320612001.chengguan处置员', '2026-11-24 11:38:08.766011+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (10, 'd38acaf71550aa3e8b0c310055e68959f75cbb6c395a7514e44c6ed36a2e07f8', 'handler', '320612001', '320612001.sanitation', '320612001.sanitation处置员', '2026-11-24 11:38:08.832351+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (11, '91ed460a2e803fc0391f75bca0528178ddba31604bde0880ee0b24de1fd22a15', 'handler', '320612001', '320612001.command', '320612001.command处置员', '2026-11-24 11:38:08.974472+00', NULL);
INSERT INTO public.token (id, token_hash, role, region, unit, name, created_at, revoked_at) VALUES (12, '6648335849018ffa5d7969c08e3ebce4bdacfc429c75811e94665ac9d9aa0d0e', 'handler', '320612001', '320612001.municipal', '320612001.municipal处置员', '2026-11-24 11:38:09.030366+00', NULL);


--
-- Name: case_number; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.case_number', 8, true);


--
-- Name: hotline_update_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.hotline_update_id_seq', 8, true);


--
-- Name: live_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.live_event_id_seq', 57, true);


--
-- Name: notification_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notification_id_seq', 9, true);


--
-- Name: outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_id_seq', 48, true);


--
-- Name: reporter_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.reporter_id_seq', 8, true);


--
-- Name: timeline_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.timeline_id_seq', 48, true);


--
-- Name: token_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.token_id_seq', 12, true);


--
-- Name: action_key action_key_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_key
    ADD CONSTRAINT action_key_pkey PRIMARY KEY (scope, key);


--
-- Name: browser_session browser_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.browser_session
    ADD CONSTRAINT browser_session_pkey PRIMARY KEY (id);


--
-- Name: case_deadline case_deadline_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_deadline
    ADD CONSTRAINT case_deadline_pkey PRIMARY KEY (case_id);


--
-- Name: case case_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."case"
    ADD CONSTRAINT case_pkey PRIMARY KEY (id);


--
-- Name: counter counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter
    ADD CONSTRAINT counter_pkey PRIMARY KEY (name);


--
-- Name: hotline_update hotline_update_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotline_update
    ADD CONSTRAINT hotline_update_pkey PRIMARY KEY (id);


--
-- Name: hotline_visit hotline_visit_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotline_visit
    ADD CONSTRAINT hotline_visit_pkey PRIMARY KEY (order_no, visited_at);


--
-- Name: idempotency_key idempotency_key_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_key
    ADD CONSTRAINT idempotency_key_pkey PRIMARY KEY (scope, key);


--
-- Name: inbox inbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbox
    ADD CONSTRAINT inbox_pkey PRIMARY KEY (consumer, event_id);


--
-- Name: live_event live_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.live_event
    ADD CONSTRAINT live_event_pkey PRIMARY KEY (id);


--
-- Name: media media_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.media
    ADD CONSTRAINT media_pkey PRIMARY KEY (id);


--
-- Name: media_use media_use_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.media_use
    ADD CONSTRAINT media_use_pkey PRIMARY KEY (media_id, case_id);


--
-- Name: notification notification_cause_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification
    ADD CONSTRAINT notification_cause_key UNIQUE (cause);


--
-- Name: notification notification_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification
    ADD CONSTRAINT notification_pkey PRIMARY KEY (id);


--
-- Name: notification_read notification_read_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_read
    ADD CONSTRAINT notification_read_pkey PRIMARY KEY (notification_id, reader);


--
-- Name: outbox outbox_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_event_id_key UNIQUE (event_id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: reporter reporter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reporter
    ADD CONSTRAINT reporter_pkey PRIMARY KEY (id);


--
-- Name: sensor sensor_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sensor
    ADD CONSTRAINT sensor_pkey PRIMARY KEY (sensor_id);


--
-- Name: timeline timeline_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timeline
    ADD CONSTRAINT timeline_event_id_key UNIQUE (event_id);


--
-- Name: timeline timeline_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.timeline
    ADD CONSTRAINT timeline_pkey PRIMARY KEY (id);


--
-- Name: token token_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.token
    ADD CONSTRAINT token_pkey PRIMARY KEY (id);


--
-- Name: token token_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.token
    ADD CONSTRAINT token_token_hash_key UNIQUE (token_hash);


--
-- Name: hotline_update uq_hotline_update_event; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotline_update
    ADD CONSTRAINT uq_hotline_update_event UNIQUE (event_id, order_no);


--
-- Name: reporter uq_reporter_external_ref; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reporter
    ADD CONSTRAINT uq_reporter_external_ref UNIQUE (source, external_ref);


--
-- Name: ix_action_key_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_action_key_created_at ON public.action_key USING btree (created_at);


--
-- Name: ix_browser_session_token_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_browser_session_token_id ON public.browser_session USING btree (token_id);


--
-- Name: ix_case_category; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_category ON public."case" USING btree (category);


--
-- Name: ix_case_category_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_category_created ON public."case" USING btree (category, created_at);


--
-- Name: ix_case_center_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_center_status ON public."case" USING btree (center, status);


--
-- Name: ix_case_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_created ON public."case" USING btree (created_at);


--
-- Name: ix_case_deadline_next_check_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_deadline_next_check_at ON public.case_deadline USING btree (next_check_at);


--
-- Name: ix_case_group_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_group_key ON public."case" USING btree (group_key);


--
-- Name: ix_case_region_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_region_created ON public."case" USING btree (region, created_at);


--
-- Name: ix_case_team_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_team_status ON public."case" USING btree (team, status);


--
-- Name: ix_case_unit_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_case_unit_status ON public."case" USING btree (unit, status);


--
-- Name: ix_hotline_update_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_hotline_update_order ON public.hotline_update USING btree (order_no, id);


--
-- Name: ix_hotline_update_unsent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_hotline_update_unsent ON public.hotline_update USING btree (sent_at, next_attempt_at);


--
-- Name: ix_live_event_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_live_event_at ON public.live_event USING btree (at);


--
-- Name: ix_live_event_seq; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_live_event_seq ON public.live_event USING btree (seq);


--
-- Name: ix_media_sha256; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_media_sha256 ON public.media USING btree (sha256);


--
-- Name: ix_media_use_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_media_use_case_id ON public.media_use USING btree (case_id);


--
-- Name: ix_notification_audience; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_notification_audience ON public.notification USING btree (role, unit, id);


--
-- Name: ix_notification_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_notification_case_id ON public.notification USING btree (case_id);


--
-- Name: ix_outbox_unsent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_unsent ON public.outbox USING btree (sent_at, id);


--
-- Name: ix_reporter_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_reporter_case_id ON public.reporter USING btree (case_id);


--
-- Name: ix_sensor_next_due_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_sensor_next_due_at ON public.sensor USING btree (next_due_at);


--
-- Name: ix_timeline_case_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_timeline_case_id ON public.timeline USING btree (case_id);


--
-- Name: ix_timeline_type_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_timeline_type_at ON public.timeline USING btree (type, at);


--
-- PostgreSQL database dump complete
--

\unrestrict D1IA9RAHwupVemIL8zq3Ex8pelaWO51MljW5cn4DvENgbAYq07bsiNj8Iiq3YBY

