"""The synthetic demo municipality that `manage.py seed_demo` builds for `make demo`.

One module per thing it builds, in the order the command calls them:
`organisation` (districts, units and their groups, logins), `children` (children,
enrollments, classes and stuer, parents, concerns), `transitions` (two children
leaving Solsikken for school, the overleveringsnotat, the parents' consents),
`assessments` (Børnelinealen), `dialogues` (LØFT), `cases` (cases, meetings,
reminders) and `underretninger` (one in every state of their handling). It sits
above every other app and nothing imports it.
"""
