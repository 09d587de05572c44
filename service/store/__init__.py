"""What the service keeps: the database and its migrations, the blob store, and the jobs' work folders."""
