"""Survey responses: finding the invitation behind a link, its signed forms, storing and reading answers."""
