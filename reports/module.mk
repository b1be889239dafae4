# reports/ -- JUnit XML, HTML, Markdown and JSON writers
REPORTS_SRCS :=
