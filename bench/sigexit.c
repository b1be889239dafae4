/* bench/sigexit.c -- how long a command takes to exit after SIGTERM, against
 * a target that never answers: "stop_ms=3004.2 status=3".
 *
 * Usage: sigexit SIGNAL_AFTER_REQUESTS COMMAND [ARG]...
 * Listens on an ephemeral loopback port that accepts connections, reads
 * what is sent and never answers; every "@URL@" in the arguments becomes
 * http://127.0.0.1:PORT. Once SIGNAL_AFTER_REQUESTS connections have sent
 * something (the requests are in flight), the command gets SIGTERM; the
 * time from that signal to the command's exit is printed. As CI does, a
 * command still running 30 s after the signal is killed (status 137). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 256

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    struct pollfd fds[MAX_CONN + 1];
    int talked[MAX_CONN + 1] = {0};
    int lfd, nfds = 1, want, seen = 0, status = 0, i;
    char url[64], buf[4096];
    double sent_at = 0;
    pid_t pid, w = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: sigexit SIGNAL_AFTER_REQUESTS COMMAND [ARG]...\n");
        return 2;
    }
    want = atoi(argv[1]);
    signal(SIGPIPE, SIG_IGN);
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 64) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) {
        perror("sigexit: listen");
        return 2;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], "@URL@") == 0)
            argv[i] = url;
    pid = fork();
    if (pid == 0) {
        close(lfd);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    fds[0].fd = lfd;
    fds[0].events = POLLIN;
    for (;;) {
        w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (sent_at > 0 && now_ms() - sent_at > 30000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        if (poll(fds, (nfds_t)nfds, 5) <= 0)
            continue;
        if ((fds[0].revents & POLLIN) && nfds <= MAX_CONN) {
            int c = accept(lfd, NULL, NULL);
            if (c >= 0) {
                fds[nfds].fd = c;
                fds[nfds].events = POLLIN;
                talked[nfds] = 0;
                nfds++;
            }
        }
        for (i = 1; i < nfds; i++) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                ssize_t n = read(fds[i].fd, buf, sizeof buf);
                if (n > 0 && !talked[i]) {
                    talked[i] = 1;
                    seen++;
                }
                if (n <= 0) {
                    close(fds[i].fd);
                    fds[i].fd = -1; /* poll ignores negative descriptors */
                }
            }
        }
        if (sent_at == 0 && seen >= want) {
            kill(pid, SIGTERM);
            sent_at = now_ms();
        }
    }
    printf("stop_ms=%.1f status=%d\n", sent_at > 0 ? now_ms() - sent_at : -1.0,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
