"""The ministry's side of CTMT Desktop: the national store and what works on it.

A copy of the app is either a province's (its own database, :mod:`ctmt_desktop.services`)
or the ministry's (this package), which receives the provinces' signed packages:

* :mod:`.store` opens the national store (SQLite by default, PostgreSQL for a shared server)
  and runs its migrations; :mod:`.models` are its tables;
* :mod:`.registry` registers the provinces' signing certificates;
* :mod:`.intake` receives packages (whole or in parts): every check of the verifier, the
  signer registered for the province, versions (supersede, replay, duplicate), then stores
  the records atomically;
* :mod:`.status` answers who has reported for which period (on time, late, missing,
  refused); :mod:`.deadlines` reads the deadlines from the catalog;
* :mod:`.figures` computes each province's indicators with the province's own code (over a
  province database rebuilt from the records received) and :mod:`.report` prints the national
  consolidated report as PDF and Excel;
* :mod:`.records` lists the records received; :mod:`.demo` builds a national desk to try.

Nothing here imports Qt.
"""
