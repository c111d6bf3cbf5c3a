/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic discrete-event simulator of NTP networks: hosts with
 * imperfect clocks, links with delay, jitter, asymmetry and loss, and the
 * kernel-independent core (kmod/core) doing the protocol, selection and
 * discipline, exactly as the module drives it. Simulated hours take
 * milliseconds: nothing sleeps, time jumps from event to event.
 *
 * True time is s64 ns on the Unix epoch; each host's clock is a struct
 * ntp_vclock whose reference is true time, so clock - true time is the
 * error the tests measure.
 */
#ifndef _KNTP_SIM_H
#define _KNTP_SIM_H

#include "ntp.h"
#include "wire.h"
#include "peer.h"
#include "system.h"
#include "vclock.h"

#define SIM_MAX_HOSTS	8
#define SIM_MAX_ASSOCS	8
#define SIM_MAX_LINKS	16
#define SIM_NAME_LEN	8

#define SIM_US		1000LL
#define SIM_MS		1000000LL
#define SIM_S		NTP_NSEC_PER_SEC

/* The simulation starts here: 2024-01-01 00:00:00 UTC, Unix ns. */
#define SIM_EPOCH_NS	(1704067200LL * SIM_S)

/* A deterministic pseudo-random generator: xorshift64*. */
struct sim_rng {
	u64 s;
};

void sim_rng_seed(struct sim_rng *r, u64 seed);
u64 sim_rng_next(struct sim_rng *r);
/* Uniform in [0, 1), as a fraction of 2^32. */
u32 sim_rng_frac32(struct sim_rng *r);
/* Uniform in [-span, span]. */
s64 sim_rng_pm(struct sim_rng *r, s64 span);
/* Exponential with the given mean (inverse transform, integer log). */
s64 sim_rng_exp(struct sim_rng *r, s64 mean);

/**
 * struct sim_assoc - one association of a host
 * @p: the protocol state (kmod/core/peer.c)
 * @remote: index of the host it talks to
 * @id: association id, unique within the host, from 1
 * @refid: the reference ID we serve when it is our system peer (the
 *	remote's IPv4 address, network order)
 * @next_poll_ns: true time of the next poll
 * @tx: packets sent
 * @rx: packets received for it
 * @samples: packets that gave a sample
 * @bogus: packets that failed test 2 (not an answer to our last packet)
 */
struct sim_assoc {
	struct ntp_peer p;
	int remote;
	u32 id;
	u8 refid[NTP_REFID_LEN];
	s64 next_poll_ns;
	u32 tx;
	u32 rx;
	u32 samples;
	u32 bogus;
};

/**
 * struct sim_host - a machine: clock, system process, associations
 * @name: for reports
 * @addr: IPv4 address, host order
 * @clk: the clock, against true time
 * @wander_ppb: the oscillator error takes a step uniform in
 *	[-@wander_ppb, @wander_ppb] every second (a random walk); 0 none
 * @sys: system process and discipline
 * @as: associations
 * @n_as: number of associations
 * @rng: the host's own random numbers (wander, first poll)
 * @n_steps: steps the discipline asked for
 * @n_slews: slews the discipline asked for
 * @n_runs: system process runs
 */
struct sim_host {
	char name[SIM_NAME_LEN];
	u32 addr;
	struct ntp_vclock clk;
	s64 wander_ppb;
	struct ntp_system sys;
	struct sim_assoc as[SIM_MAX_ASSOCS];
	int n_as;
	struct sim_rng rng;
	bool clock_steps_only;
	u32 n_steps;
	u32 n_slews;
	u32 n_runs;
};

/* How a link's delay varies around its mean. */
enum sim_jitter {
	SIM_JITTER_UNIFORM,	/* uniform in [-jitter, +jitter] */
	SIM_JITTER_EXP,		/* plus an exponential with mean jitter */
};

/**
 * struct sim_link - a path between two hosts
 * @a: one host
 * @b: the other host
 * @delay_ns: mean one-way delay, ns
 * @asym_ns: a->b takes @delay_ns + @asym_ns / 2, b->a @delay_ns - @asym_ns / 2
 * @jitter_ns: see @kind
 * @kind: enum sim_jitter
 * @loss_ppm: probability that a packet is lost, parts per million
 * @up: packets pass
 * @sent: packets offered
 * @lost: packets lost (loss or down)
 */
struct sim_link {
	int a;
	int b;
	s64 delay_ns;
	s64 asym_ns;
	s64 jitter_ns;
	int kind;
	u32 loss_ppm;
	bool up;
	u32 sent;
	u32 lost;
};

enum sim_ev_type {
	SIM_EV_PKT,	/* a packet arrives */
	SIM_EV_POLL,	/* an association's poll timer */
	SIM_EV_TICK,	/* a host's once-a-second system process run */
	SIM_EV_LINK,	/* a link goes up or down */
};

/**
 * struct sim_ev - one event in the queue
 * @t_ns: true time it happens
 * @seq: insertion order, to break ties the same way on every run
 * @type: enum sim_ev_type
 * @host: host it concerns (PKT: the receiver)
 * @arg: PKT: the sender; POLL: association index; LINK: link index
 * @up: LINK: the new state
 * @len: PKT: datagram length
 * @buf: PKT: the datagram
 */
struct sim_ev {
	s64 t_ns;
	u64 seq;
	u8 type;
	u8 host;
	u8 arg;
	bool up;
	u8 len;
	u8 buf[NTP_HEADER_LEN];
};

struct sim;

/* Called after every event; a scenario checks invariants here. */
typedef void (*sim_hook_fn)(struct sim *s, const struct sim_ev *ev,
			    void *priv);

/**
 * struct sim - the simulated world
 * @now_ns: true time
 * @hosts: the hosts
 * @n_hosts: number of hosts
 * @links: the links
 * @n_links: number of links
 * @q: event queue, a binary min-heap on (t_ns, seq)
 * @q_len: events queued
 * @q_cap: room in @q
 * @seq: next event sequence number
 * @rng: the network's random numbers (delay, loss)
 * @hook: called after every event, or NULL
 * @hook_priv: its argument
 * @n_events: events processed
 * @n_decode_err: datagrams ntp_decode() refused (none should be)
 * @trace: print every clock update (environment SIM_TRACE set)
 */
struct sim {
	s64 now_ns;
	struct sim_host hosts[SIM_MAX_HOSTS];
	int n_hosts;
	struct sim_link links[SIM_MAX_LINKS];
	int n_links;
	struct sim_ev *q;
	size_t q_len;
	size_t q_cap;
	u64 seq;
	struct sim_rng rng;
	sim_hook_fn hook;
	void *hook_priv;
	u64 n_events;
	u32 n_decode_err;
	bool trace;
};

/**
 * struct sim_host_cfg - how a host starts
 * @name: for reports
 * @offset_ns: initial clock error, ns
 * @err_ppb: oscillator frequency error, ppb (positive: runs fast)
 * @wander_ppb: random walk of the frequency error, ppb per second
 * @precision: log2 s
 * @master: "ntp master N": stratum of our own clock, 0 none
 * @clock_steps_only: the clock carries out steps and nothing else (the
 *	kernel's clock without adjtimex)
 * @disc_ctl: enum ntp_disc_ctl the discipline is told (as the module tells
 *	it what its clock can do); NTP_DISC_CTL_FULL by default
 */
struct sim_host_cfg {
	const char *name;
	s64 offset_ns;
	s64 err_ppb;
	s64 wander_ppb;
	s8 precision;
	u8 master;
	bool clock_steps_only;
	u8 disc_ctl;
};

/**
 * struct sim_link_cfg - a link's properties
 * @delay_ns: mean one-way delay, ns
 * @asym_ns: see struct sim_link
 * @jitter_ns: see struct sim_link
 * @kind: enum sim_jitter
 * @loss_ppm: packet loss, parts per million
 */
struct sim_link_cfg {
	s64 delay_ns;
	s64 asym_ns;
	s64 jitter_ns;
	int kind;
	u32 loss_ppm;
};

void sim_init(struct sim *s, u64 seed);
void sim_free(struct sim *s);
int sim_add_host(struct sim *s, const struct sim_host_cfg *cfg);
int sim_add_link(struct sim *s, int a, int b, const struct sim_link_cfg *cfg);
int sim_add_assoc(struct sim *s, int host, int remote, u8 hmode,
		  s8 minpoll, s8 maxpoll, bool iburst);
void sim_link_at(struct sim *s, int link, s64 t_ns, bool up);
void sim_run_until(struct sim *s, s64 t_ns);

s64 sim_clock(const struct sim *s, int host);
s64 sim_error(const struct sim *s, int host);
int sim_sys_peer_host(const struct sim *s, int host);
const struct sim_assoc *sim_assoc_to(const struct sim *s, int host,
				     int remote);
bool sim_synced(const struct sim *s, int host);

#endif /* _KNTP_SIM_H */
