"""Submission packages: build a signed BagIt package of a period
(:mod:`ctmt_desktop.package.build`) and verify one (:mod:`ctmt_desktop.package.verify`)."""
