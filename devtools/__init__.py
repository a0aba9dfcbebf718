"""Development tools, not part of the application: the bench data set
(``manage.py generate_bench_data``), ``make bench`` (bench.py, with wrk and report.lua) and
``make load`` (load.py).

Settings install this app only when DJANGO_DEV_TOOLS is on (by default with DJANGO_DEBUG, and
in the tests), so that production never has the command; the scripts turn it on for the one
command that needs it and serve the site without it, as production does.
"""
