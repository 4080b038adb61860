/*
 * rt-stream-sum: copies stdin to stdout unchanged and measures what went through: the byte count,
 * the SHA-256 of the whole stream, and the SHA-256 of its "content" (the stream without its first
 * and last RECORD bytes; for a ZFS send stream those are the BEGIN and END records, which carry the
 * dataset's name and so differ between the source and the unit: see electron/jobs/stream-digest.ts).
 *
 * Why a native helper: a zfs send | zfs receive pipeline on zfs-fuse is bound by latency, not CPU.
 * Any work done in the path of the bytes slows it; Node's stream machinery alone costs ~15%. Here the
 * main thread only reads and writes (like cat), and two threads hash the same buffers beside it, on
 * the cores zfs-fuse leaves idle. Memory is a fixed ring of SLOTS buffers, whatever the stream size.
 *
 * fd 3 (optional): progress for the engine, one line at most every 200 ms: "bytes N", and at the end
 * "done N SHA256 CONTENT". Exit: 0 done; 10 stdin failed; 11 stdout failed (the receiver is gone);
 * 12 out of memory/threads; 2 bad usage. The helper dies with its parent (PR_SET_PDEATHSIG), so a
 * killed engine never leaves a stream running on its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 16
#define SLOT_BYTES (1 << 20)
#define RECORD_MAX 4096

struct slot { unsigned char *buf; size_t len; };

static struct slot ring[SLOTS];
static long long filled = 0;            /* slots handed to the hashers so far */
static long long hashed[2] = {0, 0};    /* slots each hasher has finished */
static int eof = 0;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;   /* a slot was filled, or eof */
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;  /* a hasher finished a slot */
static size_t record = 312;
static unsigned char digest[2][32];

static void hex(const unsigned char *d, char *out) {
  for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

/* Hasher 0: every byte. Hasher 1: the content, skipping the first and holding back the last `record`. */
static void *hasher(void *arg) {
  int which = (int)(long)arg;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) exit(12);
  unsigned long long offset = 0;           /* stream offset of the next byte seen */
  unsigned char pend[RECORD_MAX * 2];      /* content bytes held back (at most `record`) */
  size_t pendLen = 0;
  for (long long n = 0;; n++) {
    pthread_mutex_lock(&mu);
    while (filled <= n && !eof) pthread_cond_wait(&more, &mu);
    int done = filled <= n;
    pthread_mutex_unlock(&mu);
    if (done) break;
    struct slot *s = &ring[n % SLOTS];
    const unsigned char *c = s->buf;
    size_t len = s->len;
    if (which == 0) {
      EVP_DigestUpdate(ctx, c, len);
    } else {
      if (offset < record) {
        size_t skip = record - offset < len ? record - offset : len;
        c += skip;
        len -= skip;
        offset += skip;
      }
      offset += len;
      if (len >= record) {
        if (pendLen) EVP_DigestUpdate(ctx, pend, pendLen);
        EVP_DigestUpdate(ctx, c, len - record);
        memcpy(pend, c + len - record, record);
        pendLen = record;
      } else if (len > 0) {
        memcpy(pend + pendLen, c, len);
        pendLen += len;
        if (pendLen > record) {
          EVP_DigestUpdate(ctx, pend, pendLen - record);
          memmove(pend, pend + pendLen - record, record);
          pendLen = record;
        }
      }
    }
    pthread_mutex_lock(&mu);
    hashed[which] = n + 1;
    pthread_cond_signal(&freed);
    pthread_mutex_unlock(&mu);
  }
  unsigned int l = 0;
  EVP_DigestFinal_ex(ctx, digest[which], &l);
  EVP_MD_CTX_free(ctx);
  return NULL;
}

static int writeAll(int fd, const unsigned char *p, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Node hands us the non-blocking ends of its socket pairs; this process blocks like any filter. */
static void blocking(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--record") == 0 && i + 1 < argc) {
      record = (size_t)strtoul(argv[++i], NULL, 10);
      if (record == 0 || record > RECORD_MAX) { fprintf(stderr, "rt-stream-sum: --record must be 1..%d\n", RECORD_MAX); return 2; }
    } else {
      fprintf(stderr, "usage: rt-stream-sum [--record BYTES] <in >out [3>progress]\n");
      return 2;
    }
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) return 11; /* the parent is already gone */
  signal(SIGPIPE, SIG_IGN);      /* a closed receiver is an exit code, not a silent death */
  blocking(0);
  blocking(1);
  /* Larger socket buffers between the stages keep a short stall on one side from stopping the other. */
  int sz = 4 << 20;
  setsockopt(1, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
  setsockopt(0, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
  int progress = fcntl(3, F_GETFD) >= 0 ? 3 : -1;
  if (progress >= 0) blocking(progress);

  for (int i = 0; i < SLOTS; i++) {
    ring[i].buf = malloc(SLOT_BYTES);
    if (!ring[i].buf) return 12;
  }
  pthread_t th[2];
  for (long i = 0; i < 2; i++)
    if (pthread_create(&th[i], NULL, hasher, (void *)i) != 0) return 12;

  unsigned long long total = 0;
  double last = now();
  int status = 0;
  for (long long n = 0;; n++) {
    /* Wait for the slot to be free: both hashers are past its previous use. */
    pthread_mutex_lock(&mu);
    while (n - hashed[0] >= SLOTS || n - hashed[1] >= SLOTS) pthread_cond_wait(&freed, &mu);
    pthread_mutex_unlock(&mu);
    struct slot *s = &ring[n % SLOTS];
    ssize_t r;
    do r = read(0, s->buf, SLOT_BYTES); while (r < 0 && errno == EINTR);
    if (r < 0) { fprintf(stderr, "rt-stream-sum: reading the stream: %s\n", strerror(errno)); status = 10; break; }
    if (r == 0) break;
    if (writeAll(1, s->buf, (size_t)r) < 0) { fprintf(stderr, "rt-stream-sum: writing the stream: %s\n", strerror(errno)); status = 11; break; }
    s->len = (size_t)r;
    total += (unsigned long long)r;
    pthread_mutex_lock(&mu);
    filled = n + 1;
    pthread_cond_broadcast(&more);
    pthread_mutex_unlock(&mu);
    if (progress >= 0 && now() - last >= 0.2) {
      char line[64];
      int l = snprintf(line, sizeof line, "bytes %llu\n", total);
      if (writeAll(progress, (unsigned char *)line, (size_t)l) < 0) { status = 11; break; }
      last = now();
    }
  }
  pthread_mutex_lock(&mu);
  eof = 1;
  pthread_cond_broadcast(&more);
  pthread_mutex_unlock(&mu);
  if (status != 0) return status; /* the hashers' results mean nothing for a broken stream */
  if (close(1) < 0 && errno != EINTR) { fprintf(stderr, "rt-stream-sum: closing the stream: %s\n", strerror(errno)); return 11; }
  for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
  if (progress >= 0) {
    char a[65], b[65], line[200];
    hex(digest[0], a);
    hex(digest[1], b);
    int l = snprintf(line, sizeof line, "done %llu %s %s\n", total, a, b);
    writeAll(progress, (unsigned char *)line, (size_t)l);
  }
  return 0;
}
