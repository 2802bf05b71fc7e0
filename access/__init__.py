"""Who may see and do what: the access policy (`access.policy`) and the access log (`access.log`).

It sits above the models of every feature package and below their services and views: every view
asks `access.policy` before it reads or writes, and logs what it showed with `access.log`."""
