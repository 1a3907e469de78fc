-- entities, room events, store metadata

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE partners (
    id BIGINT PRIMARY KEY,
    name VARCHAR NOT NULL,
    admin_secrets VARCHAR[] NOT NULL,
    user_secret VARCHAR NOT NULL,
    parent_partner_id BIGINT,
    ks_version BIGINT NOT NULL,
    ks_max_expiry BIGINT NOT NULL,
    roles JSON NOT NULL,
    status VARCHAR NOT NULL,
    created_at TIMESTAMP
);

CREATE TABLE users (
    partner_id BIGINT NOT NULL,
    id VARCHAR NOT NULL,
    first_name VARCHAR, last_name VARCHAR, email VARCHAR, title VARCHAR,
    company VARCHAR, industry VARCHAR, country VARCHAR, role VARCHAR,
    created_at TIMESTAMP,
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE entries (
    partner_id BIGINT NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    creator_user_id VARCHAR,
    created_at TIMESTAMP,
    updated_at TIMESTAMP,
    duration BIGINT,
    media_type BIGINT,
    source_type BIGINT,
    admin_tags VARCHAR[] NOT NULL,
    tags VARCHAR[] NOT NULL,
    category_ids BIGINT[] NOT NULL,
    status VARCHAR NOT NULL,
    parent_entry_id VARCHAR,
    virtual_event_id BIGINT,
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE categories (
    partner_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    full_name VARCHAR,
    parent_id BIGINT,
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE virtual_events (
    partner_id BIGINT NOT NULL,
    id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE room_sessions (
    partner_id BIGINT NOT NULL,
    id VARCHAR NOT NULL,
    entry_id VARCHAR NOT NULL,
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    host_user_id VARCHAR,
    PRIMARY KEY (partner_id, id)
);

-- No primary key: an index over hundreds of millions of events would cost more memory than the
-- store's budget. Duplicates are found by (partner, id, time), which the time zone maps keep cheap
-- (see vantage.store.room_events).
CREATE TABLE room_events (
    event_type VARCHAR NOT NULL,
    event_id VARCHAR,
    partner_id BIGINT NOT NULL,
    entry_id VARCHAR NOT NULL,
    session_id VARCHAR,
    user_id VARCHAR NOT NULL,
    time TIMESTAMP NOT NULL,
    virtual_event_id BIGINT,
    role VARCHAR,
    view_time DOUBLE,
    tab_focused BOOLEAN,
    sound_on BOOLEAN,
    mic_unmuted BOOLEAN,
    camera_on BOOLEAN,
    full_screen BOOLEAN,
    on_stage BOOLEAN,
    reaction VARCHAR,
    message_id VARCHAR,
    text VARCHAR,
    reply_to_message_id VARCHAR,
    context_id VARCHAR,
    recipient_user_id VARCHAR,
    thread_id VARCHAR,
    action VARCHAR,
    poll_id VARCHAR,
    question VARCHAR,
    poll_type VARCHAR,
    options VARCHAR[],
    correct_answer VARCHAR,
    answer VARCHAR,
    is_correct BOOLEAN,
    attachment_id VARCHAR,
    attachment_title VARCHAR,
    first_name VARCHAR,
    last_name VARCHAR,
    email VARCHAR,
    title VARCHAR,
    company VARCHAR,
    industry VARCHAR,
    country VARCHAR,
    received_at TIMESTAMP NOT NULL
);
