"""The synthetic demo municipality that `manage.py seed_demo` builds for `make demo`.

One module per thing it builds, in the order the command calls them:
`organisation` (districts, units, logins), `children` (children, enrollments,
parents, concerns), `assessments` (Børnelinealen), `dialogues` (LØFT), `cases`
(cases, meetings, reminders) and `underretninger` (one in every state of their
handling). It sits above every other app and nothing imports it.
"""
