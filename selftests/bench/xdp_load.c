// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_load - puts make bench-server's XDP programs (xdp_ntp.bpf.c) on an
 * interface and feeds the responder its system variables.
 *
 *   xdp_load attach IFNAME OBJ PINDIR   load OBJ, pin its maps in PINDIR
 *                                       (a bpf file system), attach its
 *                                       program in native (driver) mode
 *   xdp_load detach IFNAME
 *   xdp_load vars PINDIR LEAP STRATUM PRECISION ROOT_DELAY_NS ROOT_DISP_NS
 *                 REFID REFTIME_UNIX_NS
 *                                       publish the system variables (as
 *                                       "kntp show status --json" has them;
 *                                       REFID four characters or an IPv4
 *                                       address)
 *   xdp_load counts PINDIR              the responder's counters, JSON
 *
 * Exits 0, or 1 with a message that names what failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define NSEC_PER_SEC		1000000000LL
#define NTP_UNIX_EPOCH_S	2208988800ULL	/* RFC 5905 sec. 6: 1900 to 1970 */

/* As in xdp_ntp.bpf.c. */
struct kntp_xdp_vars {
	uint32_t valid;
	uint8_t leap;
	uint8_t stratum;
	int8_t precision;
	uint8_t pad;
	uint32_t root_delay;
	uint32_t root_disp;
	uint8_t refid[4];
	uint32_t pad2;
	uint64_t reftime;
	uint64_t base_ns;
	int64_t tai_offset_ns;
};

enum { KNTP_XDP_ANSWERED, KNTP_XDP_PASSED, KNTP_XDP_NCOUNT };

static int fail(const char *what, int err)
{
	fprintf(stderr, "xdp_load: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static int help(void)
{
	fprintf(stderr, "xdp_load attach IFNAME OBJ PINDIR | detach IFNAME |\n"
		"       vars PINDIR LEAP STRATUM PRECISION ROOT_DELAY_NS ROOT_DISP_NS REFID REFTIME_UNIX_NS |\n"
		"       counts PINDIR\n");
	return 2;
}

static int ifindex_of(const char *name)
{
	int i = if_nametoindex(name);

	if (!i)
		fprintf(stderr, "xdp_load: no interface '%s'\n", name);
	return i;
}

static int attach(const char *ifname, const char *path, const char *pindir)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pindir);
	struct bpf_program *prog;
	struct bpf_object *obj;
	int ifindex, err;

	ifindex = ifindex_of(ifname);
	if (!ifindex)
		return 1;
	obj = bpf_object__open_file(path, &opts);
	if (!obj)
		return fail(path, errno);
	err = bpf_object__load(obj);
	if (err)
		return fail("loading the program", err);
	prog = bpf_object__next_program(obj, NULL);
	if (!prog)
		return fail("no program in the object", ENOENT);
	err = bpf_xdp_attach(ifindex, bpf_program__fd(prog),
			     XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (err)
		return fail("attaching in native mode", err);
	/* The attachment and the pinned maps outlive us. */
	bpf_object__close(obj);
	return 0;
}

static int map_fd(const char *pindir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pindir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		fprintf(stderr, "xdp_load: %s: %s\n", path, strerror(errno));
	return fd;
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int parse_ll(const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || end == s || *end || *v < lo || *v > hi) {
		fprintf(stderr, "xdp_load: '%s' is not a number in %lld..%lld\n", s, lo, hi);
		return -1;
	}
	return 0;
}

/* ns to the NTP short format (RFC 5905 sec. 6: 16.16 s), saturating. */
static uint32_t ntp_short(long long ns)
{
	unsigned long long s = ((unsigned long long)ns << 16) / NSEC_PER_SEC;

	return s > UINT32_MAX ? UINT32_MAX : s;
}

static int vars(const char *pindir, char **argv)
{
	struct kntp_xdp_vars v = { .valid = 1 };
	long long n[6];
	static const long long lo[6] = { 0, 1, -128, 0, 0, 0 };
	static const long long hi[6] = { 3, 16, 127, LLONG_MAX >> 16,
					 LLONG_MAX >> 16, LLONG_MAX };
	const char *num[6] = { argv[0], argv[1], argv[2], argv[3], argv[4], argv[6] };
	int64_t real_ns, tai_ns;
	uint32_t key = 0;
	struct in_addr a;
	int i, fd;

	for (i = 0; i < 6; i++)
		if (parse_ll(num[i], lo[i], hi[i], &n[i]))
			return 2;
	v.leap = n[0];
	v.stratum = n[1];
	v.precision = n[2];
	v.root_delay = ntp_short(n[3]);
	v.root_disp = ntp_short(n[4]);
	if (inet_pton(AF_INET, argv[5], &a) == 1) {
		memcpy(v.refid, &a, sizeof(v.refid));
	} else if (strlen(argv[5]) <= sizeof(v.refid)) {
		memcpy(v.refid, argv[5], strlen(argv[5]));
	} else {
		fprintf(stderr, "xdp_load: refid '%s' %s\n", argv[5],
			"is neither four characters nor an IPv4 address");
		return 2;
	}
	if (n[5])
		v.reftime = (n[5] / NSEC_PER_SEC + NTP_UNIX_EPOCH_S) << 32 |
			    (((unsigned long long)(n[5] % NSEC_PER_SEC) << 32) / NSEC_PER_SEC);
	real_ns = clock_ns(CLOCK_REALTIME);
	tai_ns = clock_ns(CLOCK_TAI);
	/* Whole seconds: the two reads are a moment apart. */
	v.tai_offset_ns = (tai_ns - real_ns + NSEC_PER_SEC / 2) / NSEC_PER_SEC * NSEC_PER_SEC;
	v.base_ns = real_ns;
	fd = map_fd(pindir, "kntp_xdp_vars");
	if (fd < 0)
		return 1;
	if (bpf_map_update_elem(fd, &key, &v, BPF_ANY))
		return fail("updating kntp_xdp_vars", errno);
	return 0;
}

static int counts(const char *pindir)
{
	int ncpu = libbpf_num_possible_cpus(), fd, i, c;
	unsigned long long sum[KNTP_XDP_NCOUNT] = { 0 };
	uint64_t *per;

	if (ncpu <= 0)
		return fail("counting CPUs", ncpu);
	fd = map_fd(pindir, "kntp_xdp_counts");
	if (fd < 0)
		return 1;
	per = calloc(ncpu, sizeof(*per));
	if (!per)
		return fail("counts", ENOMEM);
	for (c = 0; c < KNTP_XDP_NCOUNT; c++) {
		uint32_t key = c;

		if (bpf_map_lookup_elem(fd, &key, per)) {
			free(per);
			return fail("reading kntp_xdp_counts", errno);
		}
		for (i = 0; i < ncpu; i++)
			sum[c] += per[i];
	}
	free(per);
	printf("{\"answered\": %llu, \"passed\": %llu}\n",
	       sum[KNTP_XDP_ANSWERED], sum[KNTP_XDP_PASSED]);
	return 0;
}

int main(int argc, char **argv)
{
	int ifindex, err;

	if (argc == 5 && !strcmp(argv[1], "attach"))
		return attach(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "detach")) {
		ifindex = ifindex_of(argv[2]);
		if (!ifindex)
			return 1;
		err = bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
		return err ? fail("detaching", err) : 0;
	}
	if (argc == 10 && !strcmp(argv[1], "vars"))
		return vars(argv[2], argv + 3);
	if (argc == 3 && !strcmp(argv[1], "counts"))
		return counts(argv[2]);
	return help();
}
