"""The ministry's pages: the national store's desk in the same window style as a province's.

``python3 main.py --ministry [--store URL] [--demo]`` opens a national store
(:mod:`ctmt_desktop.ministry.store`) and shows :class:`~ui.ministry.window.MinistryWindow`
with one module per page: who has reported (:mod:`.status_page`), the submissions received
(:mod:`.submissions_page`), receiving packages (:mod:`.receive_page`), the registry of the
provinces' signers (:mod:`.signers_page`), the national dashboard and report
(:mod:`.dashboard_page`) and the desk's settings (:mod:`.settings_page`).

Every read and write of the store runs on a :class:`~ui.db_lane.DbLane` over the store, never
on the GUI thread: on SQLite each unit of work of the store takes the write lock, and intake
or the national figures take seconds.
"""
