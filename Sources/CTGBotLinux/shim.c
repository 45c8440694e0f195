#define _GNU_SOURCE
#include "CTGBotLinux.h"
#include <sys/syscall.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

pid_t ctgbot_gettid(void) { return (pid_t)syscall(SYS_gettid); }

void ctgbot_set_thread_name(const char *name) {
    char buffer[16];
    strncpy(buffer, name, 15);
    buffer[15] = 0;
    pthread_setname_np(pthread_self(), buffer);
}

int ctgbot_accept4(int fd, void *address, unsigned int *length, int flags) {
    return accept4(fd, (struct sockaddr *)address, (socklen_t *)length, flags);
}
