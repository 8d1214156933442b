"""The start page a signed-in person lands on (issue 23): what is due for them, what changed since
their previous sign-in, and the actions their role takes most.

It owns no records: ``selectors`` asks each domain's own selectors and permission functions, so
the page shows only what the pages it links to would show the same person.
"""
