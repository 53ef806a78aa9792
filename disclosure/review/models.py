"""The review app has no models of its own: the record of transitions belongs to
the report (``disclosure.reports.models.Transition``) and the files stored at
approval to the archive (``disclosure.publish.models.Rendition``). Its
migrations keep the history of where those tables were first created."""
