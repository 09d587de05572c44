"""Background checking: the queue interface, the in-process worker, the Celery tasks and the job runner."""
