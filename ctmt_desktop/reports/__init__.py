"""Reports: their contents as plain data (:mod:`.figures`) and their renderings (:mod:`.pdf`).

The builders in :mod:`.figures` read the database and return renderer-neutral dataclasses
(tables of typed values with their totals); the PDF renderer and the Excel export print the
same objects, so both show the same figures.
"""
