/* bench/measure.c -- runs a command and prints its wall time and peak
 * resident memory: "wall_ms=123 maxrss_kb=4567 exit=0". The figures come
 * from wait4's rusage of that child alone, so a server started beside it
 * does not count. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec a, b;
    struct rusage ru;
    int status = 0;
    pid_t pid;

    if (argc < 2) {
        fprintf(stderr, "usage: measure COMMAND [ARG]...\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return 2;
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("wall_ms=%.1f maxrss_kb=%ld exit=%d\n",
           (double)(b.tv_sec - a.tv_sec) * 1000.0 + (double)(b.tv_nsec - a.tv_nsec) / 1e6,
           ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
