"""The reviewers' web pages: server-rendered routes, their templates and static files."""
