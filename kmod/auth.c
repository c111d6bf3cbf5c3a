// SPDX-License-Identifier: GPL-2.0
/*
 * kntp: symmetric-key authentication - the keys of an instance, which of
 * their ids are trusted, and the MAC that follows the header and any
 * extension fields (RFC 5905 sec. 7.3 and Appendix C, RFC 7822, RFC 8573).
 *
 * A MAC is a 4-byte key id and a digest. MD5, SHA-1 and SHA-256 keys
 * compute the digest of the secret followed by the packet (the legacy NTP
 * MAC, what ntpd and chrony compute), SHA-256 truncated to 20 bytes as
 * chrony does; AES-128-CMAC keys compute CMAC over the packet (RFC 8573).
 * The digests are the kernel crypto API's; comparisons are in constant time.
 *
 * Lifetime and locking
 *   kntp_net.keys: an XArray of struct kntp_key by id. Writers (netlink,
 *	kntp_net.lock held) replace or erase an entry, wait for a grace period
 *	and only then free the old key; the receive path and the poll timer
 *	look keys up under RCU and use them until rcu_read_unlock(). A key is
 *	never changed in place.
 *   kntp_net.trusted: a bitmap of the 65536 key ids, allocated on the first
 *	"trusted-key" under kntp_net.lock and freed with the instance; its
 *	bits change atomically, one at a time, and are read without a lock.
 *   kntp_net.authenticate: written under kntp_net.lock, read anywhere.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/bitmap.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "kntp.h"
#include "core/wire.h"

/* Digest lengths on the wire, bytes (RFC 5905 Appendix C, RFC 8573). */
#define KNTP_DIGEST_LEN_16	(NTP_MAC_LEN_MD5 - NTP_KEYID_LEN)
#define KNTP_DIGEST_LEN_20	(NTP_MAC_LEN_SHA1 - NTP_KEYID_LEN)

/**
 * struct kntp_key_kind - what a key type is made of
 * @alg: the crypto API's name of the algorithm
 * @digest_len: bytes of digest on the wire (SHA-256 is truncated)
 * @keyed: the algorithm takes the secret as its key (CMAC); otherwise the
 *	secret is hashed in front of the packet
 */
struct kntp_key_kind {
	const char *alg;
	u8 digest_len;
	bool keyed;
};

static const struct kntp_key_kind kntp_key_kinds[KNTP_KEY_TYPE_MAX + 1] = {
	[KNTP_KEY_MD5]		= { "md5", KNTP_DIGEST_LEN_16, false },
	[KNTP_KEY_SHA1]		= { "sha1", KNTP_DIGEST_LEN_20, false },
	[KNTP_KEY_SHA256]	= { "sha256", KNTP_DIGEST_LEN_20, false },
	[KNTP_KEY_AES128_CMAC]	= { "cmac(aes)", KNTP_DIGEST_LEN_16, true },
};

/* The most digest any algorithm here produces, bytes. */
#define KNTP_DIGEST_MAX		SHA256_DIGEST_SIZE

void kntp_auth_init(struct kntp_net *kn)
{
	xa_init(&kn->keys);
}

static void kntp_key_free(struct kntp_key *key)
{
	if (!key)
		return;
	crypto_free_shash(key->tfm);
	kfree_sensitive(key);
}

/**
 * kntp_auth_exit() - free every key of an instance that is going away
 * @kn: instance; nothing can reach its keys any more
 */
void kntp_auth_exit(struct kntp_net *kn)
{
	struct kntp_key *key;
	unsigned long id;

	xa_for_each(&kn->keys, id, key)
		kntp_key_free(key);
	xa_destroy(&kn->keys);
	bitmap_free(kn->trusted);
}

/* The key with an id, under RCU; NULL if none. */
const struct kntp_key *kntp_key_lookup_rcu(struct kntp_net *kn, u32 id)
{
	if (id < KNTP_KEY_ID_MIN || id > KNTP_KEY_ID_MAX)
		return NULL;
	return xa_load(&kn->keys, id);
}

bool kntp_key_trusted(struct kntp_net *kn, u32 id)
{
	const unsigned long *trusted = READ_ONCE(kn->trusted);

	return trusted && id >= KNTP_KEY_ID_MIN && id <= KNTP_KEY_ID_MAX &&
	       test_bit(id, trusted);
}

/*
 * The digest's length in a packet of a version, bytes: an NTPv4 MAC is cut
 * to 20 bytes at most (RFC 7822 sec. 7.5); before version 4 the whole
 * digest goes (what chrony sends with SHA-256 keys in NTPv3).
 */
static u8 kntp_key_digest_len(const struct kntp_key *key, u8 version)
{
	return version < NTP_VERSION_EXT ? key->full_len : key->digest_len;
}

/* The version of an encoded packet. */
static u8 kntp_pkt_version(const u8 *pkt)
{
	return (pkt[NTP_OFF_LVM] >> NTP_VN_SHIFT) & NTP_VN_MASK;
}

/* The MAC's length with a key, bytes, after the header at @pkt. */
size_t kntp_key_mac_len(const struct kntp_key *key, const u8 *pkt)
{
	return NTP_KEYID_LEN + kntp_key_digest_len(key, kntp_pkt_version(pkt));
}

/* The digest of @data with @key, KNTP_DIGEST_MAX bytes at @out. */
static int kntp_key_digest(const struct kntp_key *key, const u8 *data,
			   size_t len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, key->tfm);
	int err;

	desc->tfm = key->tfm;
	if (key->keyed) {
		err = crypto_shash_digest(desc, data, len, out);
	} else {
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, key->secret, key->secret_len) ?:
		      crypto_shash_finup(desc, data, len, out);
	}
	shash_desc_zero(desc);
	return err;
}

/**
 * kntp_auth_sign() - append the MAC of a packet
 * @key: the key, under RCU
 * @pkt: the packet, header (and extension fields) complete: its transmit
 *	timestamp is written before this is called
 * @len: its length, bytes; the MAC goes at @pkt + @len, kntp_key_mac_len()
 *	bytes of room there (the packet's version decides the digest's length)
 *
 * Any context.
 *
 * Return: 0 or a negative errno from the crypto API.
 */
int kntp_auth_sign(const struct kntp_key *key, u8 *pkt, size_t len)
{
	u8 digest[KNTP_DIGEST_MAX];
	int err;

	err = kntp_key_digest(key, pkt, len, digest);
	if (!err) {
		ntp_put_be32(pkt + len, key->id);
		memcpy(pkt + len + NTP_KEYID_LEN, digest,
		       kntp_key_digest_len(key, kntp_pkt_version(pkt)));
	}
	memzero_explicit(digest, sizeof(digest));
	return err;
}

/**
 * kntp_auth_verify() - check the MAC of a received packet
 * @kn: instance
 * @pkt: the packet as received
 * @len: its length, bytes
 * @r: its decoding (mac_len and key_id tell where the MAC is)
 * @keyp: the key that verified it, valid under RCU, when KNTP_AUTH_OK
 *
 * Ids are looked up and trust is checked before any digest is computed,
 * so a flood of MACs with keys we do not trust costs no hashing.
 *
 * Return: enum kntp_auth: NONE without a MAC, OK, or why it failed.
 */
u8 kntp_auth_verify(struct kntp_net *kn, const u8 *pkt, size_t len,
		    const struct ntp_packet *r, const struct kntp_key **keyp)
{
	u8 digest[KNTP_DIGEST_MAX];
	const struct kntp_key *key;
	size_t body, n;
	bool bad;

	*keyp = NULL;
	if (!r->mac_len)
		return KNTP_AUTH_NONE;
	if (r->mac_len == NTP_MAC_LEN_NAK)
		return KNTP_AUTH_NAK;
	key = kntp_key_lookup_rcu(kn, r->key_id);
	if (!key)
		return KNTP_AUTH_UNKNOWN_KEY;
	if (!kntp_key_trusted(kn, key->id))
		return KNTP_AUTH_UNTRUSTED;
	/* Before version 4 a cut digest is taken too (ntpd cuts always). */
	n = r->mac_len - NTP_KEYID_LEN;
	if (n != kntp_key_digest_len(key, r->version) &&
	    (r->version >= NTP_VERSION_EXT || n != key->digest_len))
		return KNTP_AUTH_BAD_LENGTH;
	body = len - r->mac_len;
	if (kntp_key_digest(key, pkt, body, digest))
		return KNTP_AUTH_BAD_MAC;
	bad = crypto_memneq(digest, pkt + body + NTP_KEYID_LEN, n);
	memzero_explicit(digest, sizeof(digest));
	if (bad)
		return KNTP_AUTH_BAD_MAC;
	*keyp = key;
	return KNTP_AUTH_OK;
}

/* The counter of each outcome (enum kntp_auth). */
static const enum kntp_stat kntp_auth_stats[] = {
	[KNTP_AUTH_OK]		= KNTP_STAT_AUTH_OK,
	[KNTP_AUTH_MISSING]	= KNTP_STAT_AUTH_MISSING,
	[KNTP_AUTH_UNKNOWN_KEY]	= KNTP_STAT_AUTH_UNKNOWN_KEY,
	[KNTP_AUTH_UNTRUSTED]	= KNTP_STAT_AUTH_UNTRUSTED,
	[KNTP_AUTH_BAD_LENGTH]	= KNTP_STAT_AUTH_BAD_LENGTH,
	[KNTP_AUTH_BAD_MAC]	= KNTP_STAT_AUTH_BAD_MAC,
	[KNTP_AUTH_WRONG_KEY]	= KNTP_STAT_AUTH_WRONG_KEY,
	[KNTP_AUTH_NAK]		= KNTP_STAT_AUTH_NAK,
};

/* The counter of an outcome; KNTP_STAT_UNSPEC for NONE (not counted). */
enum kntp_stat kntp_auth_stat(u8 auth)
{
	return auth < ARRAY_SIZE(kntp_auth_stats) ? kntp_auth_stats[auth] :
						     KNTP_STAT_UNSPEC;
}

/**
 * kntp_auth_assoc() - may a packet be used by an association?
 * @kn: instance
 * @key_id: the association's key, 0 none
 * @auth: the outcome of kntp_auth_verify() for the packet
 * @key: the key that verified it
 *
 * A packet with a MAC that failed is never used. A key configured on the
 * association must have signed the packet; under "ntp authenticate" every
 * association's packets must be signed with a trusted key.
 *
 * Return: KNTP_AUTH_OK or KNTP_AUTH_NONE when the packet may be used, or
 *	why not.
 */
u8 kntp_auth_assoc(struct kntp_net *kn, u32 key_id, u8 auth,
		   const struct kntp_key *key)
{
	if (auth == KNTP_AUTH_NONE)
		return key_id || READ_ONCE(kn->authenticate) ?
		       KNTP_AUTH_MISSING : KNTP_AUTH_NONE;
	if (auth != KNTP_AUTH_OK)
		return auth;
	if (key_id && key->id != key_id)
		return KNTP_AUTH_WRONG_KEY;
	return KNTP_AUTH_OK;
}

/* The fingerprint shown for a key: it changes with the secret. */
static void kntp_key_fingerprint(struct kntp_key *key)
{
	static const char label[] = "kntp key";
	u8 digest[SHA256_DIGEST_SIZE];
	struct sha256_state st;
	u8 type = key->type;

	sha256_init(&st);
	sha256_update(&st, (const u8 *)label, sizeof(label) - 1);
	sha256_update(&st, &type, 1);
	sha256_update(&st, key->secret, key->secret_len);
	sha256_final(&st, digest);
	memcpy(key->fingerprint, digest, sizeof(key->fingerprint));
	memzero_explicit(digest, sizeof(digest));
}

/**
 * kntp_key_set() - add or replace a key
 * @kn: instance, kn->lock held
 * @id: its id, checked
 * @type: its type, checked (kmod/auth_nl.c)
 * @secret: its secret
 * @len: bytes, checked
 * @extack: where to say why not
 *
 * Sleeps (the crypto API may load the algorithm's module). Replacing a key
 * with the same type and secret changes nothing.
 *
 * Return: 0 or a negative errno.
 */
int kntp_key_set(struct kntp_net *kn, u16 id, u8 type, const u8 *secret,
		 size_t len, struct netlink_ext_ack *extack)
{
	const struct kntp_key_kind *kind = &kntp_key_kinds[type];
	struct kntp_key *key, *old;
	int err;

	lockdep_assert_held(&kn->lock);
	old = xa_load(&kn->keys, id);
	if (old && old->type == type && old->secret_len == len &&
	    !crypto_memneq(old->secret, secret, len))
		return 0;

	key = kzalloc(sizeof(*key), GFP_KERNEL_ACCOUNT);
	if (!key)
		return -ENOMEM;
	key->id = id;
	key->type = type;
	key->keyed = kind->keyed;
	key->digest_len = kind->digest_len;
	key->full_len = kind->digest_len;
	key->secret_len = len;
	memcpy(key->secret, secret, len);
	kntp_key_fingerprint(key);
	key->tfm = crypto_alloc_shash(kind->alg, 0, 0);
	if (IS_ERR(key->tfm)) {
		err = PTR_ERR(key->tfm);
		key->tfm = NULL;
		NL_SET_ERR_MSG_MOD(extack,
				   "the kernel has no digest for this key type");
		goto err_free;
	}
	if (kind->keyed) {
		err = crypto_shash_setkey(key->tfm, secret, len);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "the key was refused by the cipher");
			goto err_free;
		}
	}
	/* The digest goes to a KNTP_DIGEST_MAX buffer, then is cut. */
	if (crypto_shash_digestsize(key->tfm) < kind->digest_len ||
	    crypto_shash_digestsize(key->tfm) > KNTP_DIGEST_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "the digest's size does not fit a MAC");
		err = -EINVAL;
		goto err_free;
	}
	key->full_len = crypto_shash_digestsize(key->tfm);
	old = xa_store(&kn->keys, id, key, GFP_KERNEL_ACCOUNT);
	if (xa_is_err(old)) {
		err = xa_err(old);
		goto err_free;
	}
	if (old) {
		/* Readers of the old key finish before it goes. */
		synchronize_rcu();
		kntp_key_free(old);
	}
	return 0;

err_free:
	kntp_key_free(key);
	return err;
}

/**
 * kntp_key_del() - remove a key
 * @kn: instance, kn->lock held
 * @id: its id
 *
 * Sleeps: the key is freed after every reader is done with it.
 *
 * Return: 0, or -ENOENT when there is no such key.
 */
int kntp_key_del(struct kntp_net *kn, u16 id)
{
	struct kntp_key *old;

	lockdep_assert_held(&kn->lock);
	old = xa_erase(&kn->keys, id);
	if (!old)
		return -ENOENT;
	synchronize_rcu();
	kntp_key_free(old);
	return 0;
}

/**
 * kntp_key_trust() - trust, or stop trusting, a range of key ids
 * @kn: instance, kn->lock held
 * @first: first id, checked
 * @last: last id, at least @first, checked
 * @trust: trust them or not
 *
 * Return: 0 or -ENOMEM.
 */
int kntp_key_trust(struct kntp_net *kn, u16 first, u16 last, bool trust)
{
	unsigned long *trusted = kn->trusted;
	u32 id;

	lockdep_assert_held(&kn->lock);
	if (!trusted) {
		if (!trust)
			return 0;
		trusted = bitmap_zalloc(KNTP_KEY_ID_MAX + 1, GFP_KERNEL_ACCOUNT);
		if (!trusted)
			return -ENOMEM;
		/* Readers see the zeroed bitmap before its address. */
		smp_store_release(&kn->trusted, trusted);
	}
	for (id = first; id <= last; id++) {
		if (trust)
			set_bit(id, trusted);
		else
			clear_bit(id, trusted);
	}
	return 0;
}

/**
 * kntp_key_trusted_next() - the next range of trusted ids
 * @kn: instance, kn->lock held
 * @from: the first id to look at
 * @first: the range's first id
 * @last: its last id
 *
 * Return: true when there is one at or after @from.
 */
bool kntp_key_trusted_next(struct kntp_net *kn, u32 from, u32 *first,
			   u32 *last)
{
	const unsigned long *trusted = kn->trusted;
	const u32 nbits = KNTP_KEY_ID_MAX + 1;

	if (!trusted || from >= nbits)
		return false;
	*first = find_next_bit(trusted, nbits, from);
	if (*first >= nbits)
		return false;
	*last = find_next_zero_bit(trusted, nbits, *first) - 1;
	return true;
}
