"""A fictional district for trying the service: stations, deputies, logins and sample messages."""
