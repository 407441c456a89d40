/* mk-sandbox: apply the sandbox's limits to itself, then exec the untrusted program.
 *
 * Why a launcher: Python's subprocess must fork (not vfork) as soon as a preexec_fn is given, and
 * forking a pytest worker that has torch loaded costs ~16 ms per child on these machines; vfork
 * plus this exec costs ~1 ms. The limits are the ones sandbox.py documents; a limit that cannot be
 * set stops the launch (exit 126), the program never runs without them.
 *
 *   mk-sandbox CPU_S AS_MB NOFILE FSIZE_MB NET PIN -- PROGRAM [ARG...]
 *
 * NET=1: a fresh network namespace (needs CAP_SYS_ADMIN; elsewhere this is skipped, as
 * network_isolation_available() reports). PIN>=0: run on that CPU only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void limit(int what, const char *name, unsigned long long soft, unsigned long long hard) {
    struct rlimit r = {(rlim_t)soft, (rlim_t)hard};
    if (setrlimit(what, &r) != 0) {
        fprintf(stderr, "mk-sandbox: cannot set %s: %s\n", name, strerror(errno));
        exit(126);
    }
}

int main(int argc, char **argv) {
    if (argc < 9 || strcmp(argv[7], "--") != 0) {
        fprintf(stderr, "mk-sandbox: usage: mk-sandbox CPU_S AS_MB NOFILE FSIZE_MB NET PIN -- PROGRAM [ARG...]\n");
        return 126;
    }
    unsigned long long cpu_s = strtoull(argv[1], NULL, 10);
    unsigned long long as = strtoull(argv[2], NULL, 10) << 20;
    unsigned long long nofile = strtoull(argv[3], NULL, 10);
    unsigned long long fsize = strtoull(argv[4], NULL, 10) << 20;
    int net = atoi(argv[5]);
    int pin = atoi(argv[6]);

    limit(RLIMIT_CPU, "RLIMIT_CPU", cpu_s, cpu_s + 1);
    limit(RLIMIT_AS, "RLIMIT_AS", as, as);
    limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", nofile, nofile);
    limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", fsize, fsize);
    limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0);
    if (net)
        (void)unshare(CLONE_NEWNET);
    if (pin >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(pin, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            fprintf(stderr, "mk-sandbox: cannot pin to CPU %d: %s\n", pin, strerror(errno));
            return 126;
        }
    }
    execv(argv[8], argv + 8);
    fprintf(stderr, "mk-sandbox: cannot run %s: %s\n", argv[8], strerror(errno));
    return 127;
}
