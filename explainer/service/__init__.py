"""The newsroom service: a job store, a worker pool, the REST API and the desk pages."""
