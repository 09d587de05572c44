"""Who may do what: users and roles, passwords, tokens and sessions, and the audit log of their actions."""
