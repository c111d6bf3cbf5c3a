// SPDX-License-Identifier: GPL-2.0
/*
 * ntpflood: NTP client requests (mode 3) at a steady rate, from one or
 * more source addresses, counting the answers and the RATE kisses.
 *
 *   ntpflood [-r RATE] [-t SECONDS] [-n TOTAL] [-s SRC[,SRC...]] ADDR
 *
 * -r requests per second (default 10000), paced in batches (sendmmsg);
 * -t how long (default 5 s); -n stop after TOTAL requests, or -t; -s
 * the source addresses to send from, round robin, one socket each (an
 * IPv4 range "A-B" counts up the last octet). Replies are read with
 * recvmmsg while sending and for 0.5 s after. Prints one line:
 *
 *   sent=N replies=N kisses=N bad_kisses=N errors=N seconds=S.SSS
 *
 * A kiss is a reply with stratum 0 and reference ID "RATE"; it is bad
 * unless it has leap 3, mode 4 and is no longer than our request (48
 * bytes). seconds is the time the requests took to send.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NTP_LEN		48
#define BATCH		32
#define MAX_SRC		1024

static int fds[MAX_SRC];
static int nfds;
static unsigned long long sent, replies, kisses, bad_kisses, errors;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_src(int family, const char *src)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		len = sizeof(*a);
		if (src && inet_pton(AF_INET, src, &a->sin_addr) != 1)
			return -1;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		len = sizeof(*a);
		if (src && inet_pton(AF_INET6, src, &a->sin6_addr) != 1)
			return -1;
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len)) {
		perror(src ? src : "socket");
		exit(1);
	}
	return fd;
}

/* "a,b,c" or an IPv4 range "192.0.2.10-192.0.2.20". */
static void open_sources(int family, char *list)
{
	char *tok, *save, *dash;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		dash = family == AF_INET ? strchr(tok, '-') : NULL;
		if (dash) {
			struct in_addr a, b;
			char buf[INET_ADDRSTRLEN];
			uint32_t i;

			*dash = '\0';
			if (inet_pton(AF_INET, tok, &a) != 1 ||
			    inet_pton(AF_INET, dash + 1, &b) != 1)
				goto bad;
			for (i = ntohl(a.s_addr); i <= ntohl(b.s_addr) &&
			     nfds < MAX_SRC; i++) {
				struct in_addr c = { htonl(i) };

				inet_ntop(AF_INET, &c, buf, sizeof(buf));
				fds[nfds++] = open_src(family, buf);
			}
			continue;
		}
		if (nfds == MAX_SRC)
			break;
		fds[nfds] = open_src(family, tok);
		if (fds[nfds] < 0)
			goto bad;
		nfds++;
	}
	return;
bad:
	fprintf(stderr, "ntpflood: bad source \"%s\"\n", tok);
	exit(2);
}

static void drain(int fd)
{
	unsigned char buf[BATCH][128];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	int i, n;

	for (;;) {
		memset(m, 0, sizeof(m));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = buf[i];
			iov[i].iov_len = sizeof(buf[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, m, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++) {
			const unsigned char *p = buf[i];

			if (m[i].msg_len < NTP_LEN) {
				errors++;
				continue;
			}
			if (p[1] == 0 && !memcmp(p + 12, "RATE", 4)) {
				kisses++;
				if (p[0] >> 6 != 3 || (p[0] & 7) != 4 ||
				    m[i].msg_len > NTP_LEN)
					bad_kisses++;
			} else {
				replies++;
			}
		}
	}
}

static void drain_all(void)
{
	int i;

	for (i = 0; i < nfds; i++)
		drain(fds[i]);
}

int main(int argc, char **argv)
{
	double rate = 10000, seconds = 5, start, t, end;
	unsigned long long total = 0, due;
	struct sockaddr_storage dst;
	unsigned char pkt[BATCH][NTP_LEN];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	socklen_t dlen;
	char *srcs = NULL;
	int family, opt, i, n, k, next = 0;

	while ((opt = getopt(argc, argv, "r:t:n:s:")) != -1) {
		switch (opt) {
		case 'r':
			rate = atof(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'n':
			total = strtoull(optarg, NULL, 10);
			break;
		case 's':
			srcs = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || rate <= 0)
		goto usage;
	memset(&dst, 0, sizeof(dst));
	if (strchr(argv[optind], ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&dst;

		family = AF_INET6;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(123);
		dlen = sizeof(*a);
		if (inet_pton(AF_INET6, argv[optind], &a->sin6_addr) != 1)
			goto usage;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&dst;

		family = AF_INET;
		a->sin_family = AF_INET;
		a->sin_port = htons(123);
		dlen = sizeof(*a);
		if (inet_pton(AF_INET, argv[optind], &a->sin_addr) != 1)
			goto usage;
	}
	if (srcs)
		open_sources(family, srcs);
	else
		fds[nfds++] = open_src(family, NULL);

	memset(pkt, 0, sizeof(pkt));
	for (i = 0; i < BATCH; i++) {
		pkt[i][0] = 0 << 6 | 4 << 3 | 3;	/* no leap, v4, client */
		iov[i].iov_base = pkt[i];
		iov[i].iov_len = NTP_LEN;
	}
	start = now_s();
	end = start + seconds;
	for (;;) {
		t = now_s();
		if ((total && sent >= total) || t >= end)
			break;
		due = (unsigned long long)((t - start) * rate) + 1;
		if (total && due > total)
			due = total;
		while (sent < due) {
			int fd = fds[next];

			n = due - sent < BATCH ? (int)(due - sent) : BATCH;
			/* One source per batch; -n with many: one each. */
			if (nfds > 1)
				n = 1;
			memset(m, 0, sizeof(m));
			for (i = 0; i < n; i++) {
				uint64_t x = sent + i + 1;

				/* A transmit timestamp unique to the request. */
				for (k = 0; k < 8; k++)
					pkt[i][40 + k] = x >> (56 - 8 * k);
				m[i].msg_hdr.msg_name = &dst;
				m[i].msg_hdr.msg_namelen = dlen;
				m[i].msg_hdr.msg_iov = &iov[i];
				m[i].msg_hdr.msg_iovlen = 1;
			}
			k = sendmmsg(fd, m, n, 0);
			if (k <= 0) {
				if (errno != EAGAIN && errno != ENOBUFS)
					errors++;
				break;
			}
			sent += k;
			next = (next + 1) % nfds;
			drain(fd);
		}
		drain_all();
		if (sent >= due)
			poll(NULL, 0, 1);
	}
	t = now_s() - start;
	end = now_s() + 0.5;
	while (now_s() < end) {
		drain_all();
		poll(NULL, 0, 10);
	}
	printf("sent=%llu replies=%llu kisses=%llu bad_kisses=%llu errors=%llu seconds=%.3f\n",
	       sent, replies, kisses, bad_kisses, errors, t);
	return 0;
usage:
	fprintf(stderr,
		"usage: ntpflood [-r RATE] [-t SECONDS] [-n TOTAL] [-s SRC[,SRC...]] ADDR\n");
	return 2;
}
