/* reports/write.c -- report_write_files (reports.h): every report a run
 * asked for, written by its writer. It is the one file of reports/ that
 * calls the writers, so the writers and the results model below them
 * depend on nothing above them. */
#include "reports.h"

int report_write_files(const struct run_results *r, const struct catalog *c, const char *junit,
                       const char *html, const char *markdown, const char *json,
                       struct ac_error *err)
{
    int rc = 0;

    if (junit && report_junit_write_file(r, c, junit, err) < 0)
        rc = -1;
    if (html && report_html_write_file(r, c, html, err) < 0)
        rc = -1;
    if (markdown && report_md_write_file(r, c, markdown, err) < 0)
        rc = -1;
    if (json && report_json_write_file(r, c, json, err) < 0)
        rc = -1;
    return rc;
}
