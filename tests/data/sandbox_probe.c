/* What a hostile program tries, one action per run: the containment tests run it under the runner
 * profile of the sandbox and check the OS stopped it. Prints "done <action> <result>" when the
 * action returned (result: ok or the errno name); a killed process prints nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <unistd.h>

static void *spin(void *arg) { return arg; }

static int act(const char *what, const char *arg) {
    if (!strcmp(what, "read")) return open(arg, O_RDONLY) >= 0 ? 0 : -1;
    if (!strcmp(what, "write")) return open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0644) >= 0 ? 0 : -1;
    if (!strcmp(what, "list")) return open(arg, O_RDONLY | O_DIRECTORY) >= 0 ? 0 : -1;
    if (!strcmp(what, "symlink")) return symlink(arg, "link");
    if (!strcmp(what, "hardlink")) return link(arg, "hard");
    if (!strcmp(what, "fifo")) return mkfifo("fifo", 0600);
    if (!strcmp(what, "fork")) {
        pid_t p = fork();
        if (p == 0) _exit(0);
        return p > 0 ? 0 : -1;
    }
    if (!strcmp(what, "raw-fork")) return syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0) >= 0 ? 0 : -1;
    if (!strcmp(what, "exec")) {
        char *argv[] = {(char *)arg, NULL};
        return execv(arg, argv);
    }
    if (!strcmp(what, "thread")) {
        pthread_t t;
        errno = pthread_create(&t, NULL, spin, NULL);
        return errno ? -1 : pthread_join(t, NULL);
    }
    if (!strcmp(what, "socket")) return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : -1;
    if (!strcmp(what, "connect")) {  /* a socket that reaches somewhere: 127.0.0.1:9 */
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0) return -1;
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return connect(s, (struct sockaddr *)&to, sizeof to);
    }
    if (!strcmp(what, "setsid")) return setsid() >= 0 ? 0 : -1;
    if (!strcmp(what, "ptrace")) return (int)ptrace(PTRACE_ATTACH, getppid(), 0, 0);
    if (!strcmp(what, "kill")) return kill(atoi(arg), SIGTERM);
    if (!strcmp(what, "affinity")) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        return sched_setaffinity(0, sizeof set, &set);
    }
    if (!strcmp(what, "uid")) return (int)geteuid();
    fprintf(stderr, "unknown action %s\n", what);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int rc = act(argv[1], argc > 2 ? argv[2] : "");
    if (!strcmp(argv[1], "uid")) printf("done uid %d\n", rc);
    else printf("done %s %s\n", argv[1], rc < 0 ? strerrorname_np(errno) : "ok");
    return 0;
}
