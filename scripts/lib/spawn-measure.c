/*
 * spawn-measure: run one program and report its wall time and peak RSS.
 *
 *   spawn-measure STDIN_FILE STDOUT_FILE STDERR_FILE PROGRAM [ARG...]
 *
 * Prints "<exit code> <elapsed ns> <max RSS KiB>" on its own stdout. The clock runs from just
 * before fork() to just after wait4() returns; the RSS is wait4()'s ru_maxrss, i.e. the peak
 * of the program and of any child it waited for. It exists because the kernel carries the
 * pre-exec address space's high-water mark into ru_maxrss: measured from Python, every child
 * would report at least the interpreter's RSS. This launcher's own footprint is ~1 MiB.
 * The environment is passed through unchanged.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int open_on(const char *path, int flags, int target)
{
    int fd = open(path, flags, 0600);
    if (fd < 0 || dup2(fd, target) < 0)
        return -1;
    if (fd != target)
        close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s STDIN STDOUT STDERR PROGRAM [ARG...]\n", argv[0]);
        return 2;
    }
    long long start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("spawn-measure: fork");
        return 2;
    }
    if (pid == 0) {
        if (open_on(argv[1], O_RDONLY, 0) < 0 ||
            open_on(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 1) < 0 ||
            open_on(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 2) < 0)
            _exit(126);
        execv(argv[4], &argv[4]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("spawn-measure: wait4");
        return 2;
    }
    long long elapsed = now_ns() - start;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("%d %lld %ld\n", code, elapsed, ru.ru_maxrss);
    return 0;
}
