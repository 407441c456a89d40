/* mk-sandbox: confine an untrusted program, then exec it.
 *
 * The OS is the defence; the static screen of kernel sources is a courtesy. Before the program's
 * first instruction (so static constructors are covered too) this launcher:
 *   - puts it in new pid, network and IPC namespaces (as root; otherwise inside a new user
 *     namespace where the kernel allows one): a pid namespace dies with its init, so nothing the
 *     program starts can outlive the run, and the network namespace has no interface up;
 *   - drops to an unprivileged uid/gid when started as root (--uid/--gid), sets no_new_privs;
 *   - confines the file system with Landlock: read (and exec) only the system directories and the
 *     paths given with --ro/--rx, read and write only the --rw directories (no symlinks, FIFOs,
 *     sockets or devices may be made there), no TCP bind/connect, and (Landlock ABI >= 6) no
 *     signals to processes outside the sandbox;
 *   - (--seccomp) installs a seccomp filter, built with libseccomp, that kills the process on any
 *     attempt to create a process (or a thread, with --no-threads: a single-thread measurement
 *     must not hide work on another core), exec, open a socket, setsid/setpgid, ptrace, change namespaces
 *     or mounts, and refuses affinity and scheduler changes. The launcher's own exec is let through
 *     by its filename pointer: a page mapped at a random address, which the program cannot know.
 *   - applies rlimits (CPU, address space, open files, file size, no core) and the CPU pin.
 *
 *   mk-sandbox [--cpu S] [--as MB] [--nofile N] [--fsize MB] [--net] [--pin CPU] [--uid U --gid G]
 *              [--ro PATH]... [--rx PATH]... [--rw PATH]... [--landlock] [--seccomp [--no-threads]]
 *              [--report FD]
 *              -- PROGRAM [ARG...]
 *
 * --report FD: write one JSON line saying what was enforced to FD just before the exec.
 * Exit 126: a requested protection could not be applied (a line on stderr says which); the program
 * never runs without it. The program's exit status (or its killing signal) is passed on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/landlock.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef MK_HAVE_SECCOMP
#include <seccomp.h>
#endif

/* Landlock constants newer than the build machine's headers (kernel ABI numbers are stable). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define MK_NET_BIND_TCP (1ULL << 0)
#define MK_NET_CONNECT_TCP (1ULL << 1)
#define MK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define MK_SCOPE_SIGNAL (1ULL << 1)

struct mk_ruleset_attr { /* landlock_ruleset_attr as of ABI 6; its size tells the kernel which */
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

#define MAX_PATHS 64

static struct {
    unsigned long long cpu_s, as_mb, nofile, fsize_mb;
    int net, pin, landlock, seccomp, report_fd, no_threads, trees;
    long uid, gid;
    const char *ro[MAX_PATHS], *rx[MAX_PATHS], *rw[MAX_PATHS];
    int n_ro, n_rx, n_rw;
} opt = {120, 4096, 64, 1024, 0, -1, 0, 0, -1, 0, 0, -1, -1, {0}, {0}, {0}, 0, 0, 0};

static struct {
    int landlock_abi, seccomp, pidns, netns, userns, uid, supervised;
} applied;

static void die(const char *what, int err) {
    fprintf(stderr, "mk-sandbox: cannot %s: %s\n", what, strerror(err));
    _exit(126);
}

static void limit(int what, const char *name, unsigned long long soft, unsigned long long hard) {
    struct rlimit r = {(rlim_t)soft, (rlim_t)hard};
    if (setrlimit(what, &r) != 0) die(name, errno);
}

static void add_path(const char **list, int *n, const char *path) {
    if (*n >= MAX_PATHS) {
        fprintf(stderr, "mk-sandbox: too many paths\n");
        _exit(126);
    }
    list[(*n)++] = path;
}

/* ---- namespaces ------------------------------------------------------------------------------ */

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void enter_namespaces(void) {
    int flags = CLONE_NEWPID | CLONE_NEWIPC | (opt.net ? CLONE_NEWNET : 0);
    if (geteuid() != 0) {
        /* Unprivileged: a user namespace first (mapping only our own ids), where the kernel allows. */
        uid_t uid = geteuid();
        gid_t gid = getegid();
        if (unshare(CLONE_NEWUSER) != 0) return; /* reported as userns/pidns/netns: 0 */
        char map[64];
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
        if (write_file("/proc/self/uid_map", map) != 0) die("write uid_map", errno);
        if (write_file("/proc/self/setgroups", "deny\n") != 0) die("write setgroups", errno);
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
        if (write_file("/proc/self/gid_map", map) != 0) die("write gid_map", errno);
        applied.userns = 1;
    }
    if (unshare(flags) == 0) {
        applied.pidns = 1;
        applied.netns = opt.net;
    } else if (opt.net && unshare(CLONE_NEWNET) == 0) {
        applied.netns = 1;
    }
}

/* ---- Landlock ------------------------------------------------------------------------------- */

static long ll_create(const struct mk_ruleset_attr *attr, size_t size, uint32_t flags) {
    return syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

static void ll_rule(int ruleset, const char *path, uint64_t access, uint64_t handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return; /* optional system paths (/lib64 on some distributions) */
        die(path, errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) die(path, errno);
    const uint64_t file_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
                                 LANDLOCK_ACCESS_FS_IOCTL_DEV;
    if (!S_ISDIR(st.st_mode)) access &= file_rights;
    struct landlock_path_beneath_attr rule = {.allowed_access = access & handled, .parent_fd = fd};
    if (rule.allowed_access && syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
        die(path, errno);
    close(fd);
}

static void confine_files(void) {
    long abi = ll_create(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        if (opt.landlock > 1) die("use Landlock (required)", errno);
        return; /* kernel without Landlock: reported as landlock 0 */
    }
    struct mk_ruleset_attr attr = {0};
    attr.handled_access_fs = (1ULL << 13) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */
    if (abi >= 2) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) attr.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    size_t size = sizeof(uint64_t);
    if (abi >= 4) {
        attr.handled_access_net = MK_NET_BIND_TCP | MK_NET_CONNECT_TCP; /* no rule: no TCP at all */
        size = 2 * sizeof(uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = MK_SCOPE_ABSTRACT_UNIX_SOCKET | MK_SCOPE_SIGNAL;
        size = sizeof attr;
    }
    int rs = (int)ll_create(&attr, size, 0);
    if (rs < 0) die("create a Landlock ruleset", errno);
    const uint64_t h = attr.handled_access_fs;
    const uint64_t read = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    const uint64_t rx = read | LANDLOCK_ACCESS_FS_EXECUTE;
    /* writable dirs: regular files only (no symlink, FIFO, socket or device a reader could trip on) */
    uint64_t rw = rx | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                  LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_TRUNCATE;
    /* --trees (builds: cmake and ninja make directories, links, and rename between them) */
    if (opt.trees)
        rw |= LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_MAKE_SYM |
              (abi >= 2 ? LANDLOCK_ACCESS_FS_REFER : 0);
    static const char *system_rx[] = {"/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache"};
    static const char *system_ro[] = {"/sys/devices/system/cpu", "/dev/urandom", "/etc/localtime"};
    for (size_t i = 0; i < sizeof system_rx / sizeof *system_rx; ++i) ll_rule(rs, system_rx[i], rx, h);
    for (size_t i = 0; i < sizeof system_ro / sizeof *system_ro; ++i) ll_rule(rs, system_ro[i], read, h);
    ll_rule(rs, "/dev/null", LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE, h);
    for (int i = 0; i < opt.n_ro; ++i) ll_rule(rs, opt.ro[i], read, h);
    for (int i = 0; i < opt.n_rx; ++i) ll_rule(rs, opt.rx[i], rx, h);
    for (int i = 0; i < opt.n_rw; ++i) ll_rule(rs, opt.rw[i], rw, h);
    if (syscall(__NR_landlock_restrict_self, rs, 0) != 0) die("enforce the Landlock ruleset", errno);
    close(rs);
    applied.landlock_abi = (int)abi;
}


#ifdef MK_HAVE_SECCOMP
/* ---- the supervisor: names file system calls that reach outside the sandbox ------------------ */

struct watched_call {
    const char *name;
    int path_arg;  /* which argument is the path */
    int dirfd_arg; /* which argument is its directory fd (-1: relative to the cwd) */
};
static const struct watched_call watched[] = {
    {"open", 0, -1},      {"creat", 0, -1},     {"openat", 1, 0},     {"openat2", 1, 0},     {"mkdir", 0, -1},
    {"mkdirat", 1, 0},    {"rmdir", 0, -1},     {"unlink", 0, -1},    {"unlinkat", 1, 0},    {"rename", 1, -1},
    {"renameat", 3, 2},   {"renameat2", 3, 2},  {"link", 1, -1},      {"linkat", 3, 2},      {"symlink", 1, -1},
    {"symlinkat", 2, 1},  {"truncate", 0, -1},  {"chmod", 0, -1},     {"fchmodat", 1, 0},    {"chown", 0, -1},
    {"lchown", 0, -1},    {"fchownat", 1, 0},   {"utimensat", 1, 0},  {"mknod", 0, -1},      {"mknodat", 1, 0},
};

static char denied[512];
static int n_denied;

static int under(const char *path, const char *dir) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') --n;
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Lexically normalise an absolute path: ".", ".." and repeated slashes. */
static void normalise(char *path) {
    char out[PATH_MAX];
    size_t len = 0;
    const char *p = path;
    while (*p) {
        while (*p == '/') ++p;
        const char *start = p;
        while (*p && *p != '/') ++p;
        size_t n = (size_t)(p - start);
        if (n == 0 || (n == 1 && start[0] == '.')) continue;
        if (n == 2 && start[0] == '.' && start[1] == '.') {
            while (len > 0 && out[len - 1] != '/') --len;
            if (len > 0) --len;
            continue;
        }
        if (len + n + 2 >= sizeof out) break;
        out[len++] = '/';
        memcpy(out + len, start, n);
        len += n;
    }
    if (len == 0) out[len++] = '/';
    out[len] = '\0';
    memcpy(path, out, len + 1);
}

static int allowed_path(const char *path) {
    /* what the Landlock rules allow, plus what system libraries and emulators probe and do
     * without when denied */
    static const char *system_dirs[] = {"/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/ld.so.preload",
                                        "/etc/localtime", "/sys/devices/system/cpu", "/dev/null", "/dev/urandom",
                                        "/proc/self", "/proc/sys/vm", "/proc/cpuinfo", "/proc/meminfo",
                                        "/sys/fs/cgroup", "/proc/stat"};
    for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; ++i)
        if (under(path, system_dirs[i])) return 1;
    for (int i = 0; i < opt.n_ro; ++i)
        if (under(path, opt.ro[i])) return 1;
    for (int i = 0; i < opt.n_rx; ++i)
        if (under(path, opt.rx[i])) return 1;
    for (int i = 0; i < opt.n_rw; ++i)
        if (under(path, opt.rw[i])) return 1;
    return 0;
}

static int read_remote(pid_t pid, uint64_t addr, char *buf, size_t size) {
    char mem[64];
    snprintf(mem, sizeof mem, "/proc/%d/mem", (int)pid);
    int fd = open(mem, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = pread(fd, buf, size - 1, (off_t)addr);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    return strnlen(buf, size - 1) < size - 1 ? 0 : -1;
}

static int base_dir(pid_t pid, long dirfd, char *out, size_t size) {
    char link[64];
    if ((int)dirfd == AT_FDCWD) snprintf(link, sizeof link, "/proc/%d/cwd", (int)pid);
    else snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)pid, (int)dirfd);
    ssize_t n = readlink(link, out, size - 1);
    if (n <= 0) return -1;
    out[n] = '\0';
    return 0;
}

static void supervise(int listener) {
    struct seccomp_notif *req = NULL;
    struct seccomp_notif_resp *resp = NULL;
    if (seccomp_notify_alloc(&req, &resp) != 0) die("allocate seccomp notifications", ENOMEM);
    int debug = getenv("MK_SANDBOX_DEBUG") != NULL;
    for (;;) {
        struct pollfd pfd = {listener, POLLIN, 0};
        if (poll(&pfd, 1, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL) && !(pfd.revents & POLLIN)) break;
        memset(req, 0, sizeof *req);
        if (seccomp_notify_receive(listener, req) != 0) {
            if (errno == EINTR || errno == ENOENT) continue;
            break;
        }
        const char *name = "?";
        int path_arg = 0, dirfd_arg = -1;
        for (size_t i = 0; i < sizeof watched / sizeof *watched; ++i) {
            if (seccomp_syscall_resolve_name(watched[i].name) == req->data.nr) {
                name = watched[i].name;
                path_arg = watched[i].path_arg;
                dirfd_arg = watched[i].dirfd_arg;
                break;
            }
        }
        char raw[PATH_MAX], full[2 * PATH_MAX + 2];
        int ok = 1;
        if (read_remote(req->pid, req->data.args[path_arg], raw, sizeof raw) == 0) {
            if (raw[0] == '/') {
                snprintf(full, sizeof full, "%s", raw);
            } else {
                char base[PATH_MAX];
                long dirfd = dirfd_arg < 0 ? AT_FDCWD : (long)(int)req->data.args[dirfd_arg];
                if (base_dir(req->pid, dirfd, base, sizeof base) == 0) snprintf(full, sizeof full, "%s/%s", base, raw);
                else snprintf(full, sizeof full, "%s", raw);
            }
            if (full[0] == '/') normalise(full);
            ok = full[0] != '/' || allowed_path(full);
            if (debug) fprintf(stderr, "mk-sandbox: %s %s: %s\n", name, full, ok ? "allowed" : "DENIED");
        }
        memset(resp, 0, sizeof *resp);
        resp->id = req->id;
        if (ok) {
            resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; /* Landlock still decides */
        } else {
            resp->error = -EACCES;
            if (!denied[0]) snprintf(denied, sizeof denied, "%s %.400s", name, full);
            ++n_denied;
        }
        if (seccomp_notify_respond(listener, resp) != 0 && errno != ENOENT) break;
    }
    seccomp_notify_free(req, resp);
    close(listener);
}

static void send_fd(int sock, int fd) {
    char byte = 0;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    if (sendmsg(sock, &msg, 0) != 1) die("hand over the seccomp listener", errno);
}

static int recv_fd(int sock) {
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
    } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    if (recvmsg(sock, &msg, 0) != 1) return -1; /* the runner died before handing it over */
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}
#else
static char denied[1];
static int n_denied;
#endif

/* ---- seccomp -------------------------------------------------------------------------------- */

#ifdef MK_HAVE_SECCOMP
static void rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n, const struct scmp_arg_cmp *cmp) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return; /* not a system call on this architecture */
    int rc = n ? seccomp_rule_add_array(ctx, action, nr, n, cmp) : seccomp_rule_add(ctx, action, nr, 0);
    if (rc != 0) die(name, -rc);
}

static void install_seccomp(const char *exec_path, int notify_sock) {
    /* Default allow: kernels use ordinary syscalls (memory, threads, futexes, the runner's file I/O);
     * what could reach beyond the run is denied by name. Non-native ABIs (int 0x80, x32) are killed
     * by libseccomp's bad-architecture action. */
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) die("create a seccomp filter", ENOMEM);
    static const char *killed[] = {
        "fork", "vfork", "execveat", "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
        "setsid", "setpgid", "ptrace", "process_vm_readv", "process_vm_writev", "unshare", "setns", "mount",
        "umount2", "pivot_root", "chroot", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
        "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key", "init_module",
        "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff",
        "name_to_handle_at", "open_by_handle_at", "pidfd_open", "pidfd_getfd", "pidfd_send_signal", "kcmp",
        "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "quotactl", "acct", "iopl",
        "ioperm", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "setuid", "setgid",
        "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid", "vhangup",
        "mknod", "mknodat", "lookup_dcookie", "personality", "uselib", "nfsservctl", "syslog"};
    /* where it runs and at which priority is the harness's choice (a timed kernel must not move to
     * an idle core or raise itself) */
    static const char *placement[] = {"sched_setaffinity", "sched_setscheduler", "sched_setattr", "sched_setparam",
                                      "setpriority", "migrate_pages", "move_pages", "mbind", "set_mempolicy", "tkill"};
    for (size_t i = 0; i < sizeof killed / sizeof *killed; ++i) rule(ctx, SCMP_ACT_KILL_PROCESS, killed[i], 0, NULL);
    for (size_t i = 0; i < sizeof placement / sizeof *placement; ++i)
        rule(ctx, SCMP_ACT_KILL_PROCESS, placement[i], 0, NULL);
    /* signals to itself only (raise/abort use tgkill on their own pid) */
    struct scmp_arg_cmp other_pid = SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)getpid());
    static const char *signalling[] = {"kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"};
    for (size_t i = 0; i < sizeof signalling / sizeof *signalling; ++i)
        rule(ctx, SCMP_ACT_KILL_PROCESS, signalling[i], 1, &other_pid);
    /* file system calls go past the supervisor, which names any path outside the sandbox in the
     * verdict (Landlock denies them either way: the supervisor only reports) */
    if (notify_sock >= 0)
        for (size_t i = 0; i < sizeof watched / sizeof *watched; ++i)
            rule(ctx, SCMP_ACT_NOTIFY, watched[i].name, 0, NULL);
    /* threads yes (CLONE_THREAD), processes no; clone3's flags sit behind a pointer, so clone3 says
     * ENOSYS and the C library falls back to clone */
    struct scmp_arg_cmp no_thread = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0);
    rule(ctx, SCMP_ACT_KILL_PROCESS, "clone", opt.no_threads ? 0 : 1, &no_thread); /* --no-threads: none */
    rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
    /* exec: only the launcher's own call, recognised by its filename pointer */
    struct scmp_arg_cmp other_path = SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)(uintptr_t)exec_path);
    rule(ctx, SCMP_ACT_KILL_PROCESS, "execve", 1, &other_path);
    struct scmp_arg_cmp tiocsti = SCMP_A1(SCMP_CMP_EQ, TIOCSTI);
    rule(ctx, SCMP_ACT_ERRNO(EPERM), "ioctl", 1, &tiocsti);
    int rc = seccomp_load(ctx);
    if (rc != 0) die("load the seccomp filter", -rc);
    if (notify_sock >= 0) {
        int fd = seccomp_notify_fd(ctx);
        if (fd < 0) die("get the seccomp listener", -fd);
        send_fd(notify_sock, fd);
        close(fd);
        close(notify_sock);
        applied.supervised = 1;
    }
    seccomp_release(ctx);
    applied.seccomp = 1;
}
#endif

/* A copy of the program path on a page at a random address: the exec allowed by the filter. */
static char *exec_path_copy(const char *path) {
    size_t len = strlen(path) + 1, size = (len + 4095) & ~(size_t)4095;
    for (int attempt = 0; attempt < 16; ++attempt) {
        uint64_t r = 0;
        if (getrandom(&r, sizeof r, 0) != sizeof r) break;
        void *hint = (void *)(uintptr_t)(((r % ((1ULL << 46) - (1ULL << 32))) + (1ULL << 32)) & ~4095ULL);
        void *p = mmap(hint, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p != MAP_FAILED) {
            memcpy(p, path, len);
            return p;
        }
    }
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("map a page", errno);
    memcpy(p, path, len);
    return p;
}

/* ---- the run ---------------------------------------------------------------------------------- */

static void report(void) {
    if (opt.report_fd < 0) return;
    char line[256];
    int n = snprintf(line, sizeof line,
                     "{\"landlock\": %d, \"seccomp\": %d, \"pidns\": %d, \"netns\": %d, \"userns\": %d, \"uid\": %d, "
                     "\"supervised\": %d}\n",
                     applied.landlock_abi, applied.seccomp, applied.pidns, applied.netns, applied.userns,
                     applied.uid, applied.supervised);
    if (write(opt.report_fd, line, (size_t)n) != n) die("write the report", errno);
    close(opt.report_fd);
}

static void confine_and_exec(char **argv, int notify_sock) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("set the parent-death signal", errno);
    limit(RLIMIT_CPU, "set RLIMIT_CPU", opt.cpu_s, opt.cpu_s + 1);
    limit(RLIMIT_AS, "set RLIMIT_AS", opt.as_mb << 20, opt.as_mb << 20);
    limit(RLIMIT_NOFILE, "set RLIMIT_NOFILE", opt.nofile, opt.nofile);
    limit(RLIMIT_FSIZE, "set RLIMIT_FSIZE", opt.fsize_mb << 20, opt.fsize_mb << 20);
    limit(RLIMIT_CORE, "set RLIMIT_CORE", 0, 0);
    if (opt.pin >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(opt.pin, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) {
            fprintf(stderr, "mk-sandbox: cannot pin to CPU %d: %s\n", opt.pin, strerror(errno));
            _exit(126);
        }
    }
    if (opt.uid >= 0 && geteuid() == 0 && !applied.userns) {
        if (setgroups(0, NULL) != 0) die("drop supplementary groups", errno);
        if (setresgid((gid_t)opt.gid, (gid_t)opt.gid, (gid_t)opt.gid) != 0) die("set the gid", errno);
        if (setresuid((uid_t)opt.uid, (uid_t)opt.uid, (uid_t)opt.uid) != 0) die("set the uid", errno);
    }
    applied.uid = (int)geteuid();
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("set no_new_privs", errno);
    if (opt.landlock) confine_files();
    char *path = exec_path_copy(argv[0]);
#ifdef MK_HAVE_SECCOMP
    if (opt.seccomp) install_seccomp(path, notify_sock);
#else
    if (opt.seccomp > 1) die("install seccomp (built without libseccomp)", ENOSYS);
#endif
    report();
    execv(path, argv);
    fprintf(stderr, "mk-sandbox: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Wait for pid; return its raw wait status. */
static int reap(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) die("wait for the program", errno);
    return status;
}

static void pass_on(int status) {
    if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
    int sig = WTERMSIG(status);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    _exit(128 + sig);
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; ++i) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--net")) opt.net = 1;
        else if (!strcmp(a, "--landlock")) opt.landlock = 1;
        else if (!strcmp(a, "--require-landlock")) opt.landlock = 2;
        else if (!strcmp(a, "--seccomp")) opt.seccomp = 1;
        else if (!strcmp(a, "--no-threads")) opt.no_threads = 1;
        else if (!strcmp(a, "--trees")) opt.trees = 1;
        else if (!strcmp(a, "--require-seccomp")) opt.seccomp = 2;
        else if (!v) break;
        else if (!strcmp(a, "--cpu")) opt.cpu_s = strtoull(v, NULL, 10), ++i;
        else if (!strcmp(a, "--as")) opt.as_mb = strtoull(v, NULL, 10), ++i;
        else if (!strcmp(a, "--nofile")) opt.nofile = strtoull(v, NULL, 10), ++i;
        else if (!strcmp(a, "--fsize")) opt.fsize_mb = strtoull(v, NULL, 10), ++i;
        else if (!strcmp(a, "--pin")) opt.pin = atoi(v), ++i;
        else if (!strcmp(a, "--uid")) opt.uid = atol(v), ++i;
        else if (!strcmp(a, "--gid")) opt.gid = atol(v), ++i;
        else if (!strcmp(a, "--report")) opt.report_fd = atoi(v), ++i;
        else if (!strcmp(a, "--ro")) add_path(opt.ro, &opt.n_ro, v), ++i;
        else if (!strcmp(a, "--rx")) add_path(opt.rx, &opt.n_rx, v), ++i;
        else if (!strcmp(a, "--rw")) add_path(opt.rw, &opt.n_rw, v), ++i;
        else break;
    }
    if (i >= argc - 1 || strcmp(argv[i], "--") != 0) {
        fprintf(stderr, "mk-sandbox: usage: mk-sandbox [OPTIONS] -- PROGRAM [ARG...] (bad option %s)\n",
                i < argc ? argv[i] : "(none)");
        return 126;
    }
    char **program = argv + i + 1;
    if (opt.uid >= 0 && opt.gid < 0) opt.gid = opt.uid;

    enter_namespaces();
    /* In a new pid namespace the first child is its init: it starts the program and reports how it
     * ended through a pipe (init cannot die of most signals itself); when init goes, the kernel
     * kills everything left in the namespace. Without one, the program is our direct child. */
    int status_pipe[2] = {-1, -1};
    if (applied.pidns && pipe2(status_pipe, O_CLOEXEC) != 0) die("make a pipe", errno);
    /* the runner's seccomp listener comes back over this pair; the supervisor is this process */
    int socks[2] = {-1, -1};
#ifdef MK_HAVE_SECCOMP
    if (opt.seccomp && opt.landlock && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, socks) != 0)
        die("make a socket pair", errno);
#endif
    pid_t init = fork();
    if (init < 0) die("fork", errno);
    if (init == 0) {
        if (!applied.pidns) {
            close(socks[0]);
            confine_and_exec(program, socks[1]);
        }
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die("set the parent-death signal", errno);
        close(status_pipe[0]);
        pid_t child = fork();
        if (child < 0) die("fork in the namespace", errno);
        if (child == 0) {
            close(status_pipe[1]);
            close(socks[0]);
            confine_and_exec(program, socks[1]);
        }
        close(socks[1]);
        close(socks[0]);
        if (opt.report_fd >= 0) close(opt.report_fd);
        int status = reap(child);
        if (write(status_pipe[1], &status, sizeof status) != (ssize_t)sizeof status) _exit(126);
        _exit(0);
    }
    if (opt.report_fd >= 0) close(opt.report_fd);
#ifdef MK_HAVE_SECCOMP
    if (socks[0] >= 0) {
        close(socks[1]);
        int listener = recv_fd(socks[0]);
        close(socks[0]);
        if (listener >= 0) supervise(listener);
    }
#endif
    int status;
    if (!applied.pidns) {
        status = reap(init);
    } else {
        close(status_pipe[1]);
        ssize_t got = read(status_pipe[0], &status, sizeof status);
        int init_status = reap(init);
        if (got != (ssize_t)sizeof status) status = init_status; /* init itself failed (126) or was killed */
    }
    if (denied[0]) {
        /* the kernel reached outside its sandbox: that is the verdict, whatever it computed */
        fprintf(stderr, "mk-sandbox: denied %s (outside the sandbox)%s\n", denied,
                n_denied > 1 ? " and more" : "");
        _exit(125);
    }
    pass_on(status);
    return 126;
}
