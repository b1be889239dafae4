# reports/ -- JUnit XML, HTML, Markdown and JSON writers; merge, diff, baseline
REPORTS_SRCS := reports/results.c reports/report_text.c reports/junit.c reports/html.c \
                reports/markdown.c reports/json.c reports/merge.c reports/baseline.c \
                reports/write.c
TESTS += reports
# Its files: tests/reportfix.h lists them.
TEST_reports_SRCS := tests/test_reports.c tests/test_reports_writers.c tests/test_reports_data.c \
                     tests/reportfix.c $(REPORTS_SRCS) $(CATALOG_SRCS) $(COMMON_SRCS)
TEST_reports_PKGS := jansson
