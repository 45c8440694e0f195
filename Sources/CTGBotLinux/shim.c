#define _GNU_SOURCE
#include "CTGBotLinux.h"
#include <sys/syscall.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

/// Cached per thread: `EventLoop.inLoop` asks on every request, and a syscall each time showed in profiles.
static __thread pid_t cached_tid = 0;

pid_t ctgbot_gettid(void) {
    if (cached_tid == 0) cached_tid = (pid_t)syscall(SYS_gettid);
    return cached_tid;
}

void ctgbot_set_thread_name(const char *name) {
    char buffer[16];
    strncpy(buffer, name, 15);
    buffer[15] = 0;
    pthread_setname_np(pthread_self(), buffer);
}

int ctgbot_accept4(int fd, void *address, unsigned int *length, int flags) {
    return accept4(fd, (struct sockaddr *)address, (socklen_t *)length, flags);
}
