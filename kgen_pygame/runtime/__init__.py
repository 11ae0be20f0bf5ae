"""Runtime of the plugin: durable outbox, credential storage, backoff and the worker threads."""
