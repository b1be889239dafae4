# runners/ -- the apiconform program: CLI, plan, exchange, checks
RUNNER_SRCS := runners/main.c runners/cli_opts.c runners/cli_catalog.c
