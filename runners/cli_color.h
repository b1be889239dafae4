/* runners/cli_color.h -- colour on the console, only where it helps: the
 * verdict tags and the headline of a run, sweep's "left" lines, diff's
 * labels. Colour is on when --color says always, or (auto, the default)
 * when the stream is a terminal, NO_COLOR is unset or empty
 * (https://no-color.org) and TERM is not "dumb". Only our own words are
 * coloured: text a server sent is printed through ac_fput_safe, never
 * wrapped in an escape sequence it could end. The tally line stays plain. */
#ifndef CLI_COLOR_H
#define CLI_COLOR_H

#include <stdio.h>

enum cli_color_mode { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* The colours used, as SGR parameters. */
#define CLI_SGR_RED "31"
#define CLI_SGR_GREEN "32"
#define CLI_SGR_YELLOW "33"
#define CLI_SGR_BOLD_RED "1;31"

/* Parses a --color value ("auto", "always", "never") into *mode: 0, or
 * prints a usage error naming cmd and returns 2 (CLI_EXIT_USAGE). */
int cli_color_parse(const char *cmd, const char *value, enum cli_color_mode *mode);

/* 1 when output to f is to be coloured under mode, else 0 (see above). */
int cli_color_on(enum cli_color_mode mode, FILE *f);

/* Writes text (our own words, never a server's) to f, wrapped in the SGR
 * sequence sgr and a reset when on, plain otherwise. */
void cli_color_put(FILE *f, int on, const char *sgr, const char *text);

#endif
