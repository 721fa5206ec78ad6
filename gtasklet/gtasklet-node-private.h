/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gunixfdlist.h>

#include "gtasklet-node.h"
#include "gtasklet-node-value-private.h"
#include "gtasklet-tasklet-private.h"

G_BEGIN_DECLS

/* The node's parts (gtasklet-node.c: the object, exports and registrations;
 * gtasklet-node-peer.c: what goes to one peer; gtasklet-node-inbound.c: what comes from one).
 *
 * Threads: the node belongs to the thread whose thread-default context it was made on (GDBus
 * calls its handlers there); a message for a remote tasklet is queued on the sender's thread,
 * and a registered tasklet's end is noticed on its own: so everything below is guarded by the
 * node's lock, except what is marked as the node thread's. */

#define NODE_OBJECT_PATH "/org/gnome/Gtasklet/Node1"
#define NODE_INTERFACE   "org.gnome.Gtasklet.Node1"

/* Item kinds of Deliver() (the interface's XML documents them). */
typedef enum
{
  NODE_ITEM_MESSAGE,
  NODE_ITEM_HOLD,
  NODE_ITEM_SPAWN,
  NODE_ITEM_RESOLVED,
  NODE_ITEM_DOWN,
  NODE_ITEM_LINK,
  NODE_ITEM_UNLINK,
  NODE_ITEM_CANCEL,
  NODE_N_ITEM_KINDS
} GtaskletNodeItemKind;

typedef struct _GtaskletNodePeer GtaskletNodePeer;
typedef struct _GtaskletNodeChannel GtaskletNodeChannel;
typedef struct _GtaskletNodeRegistration GtaskletNodeRegistration;

/* One item on its way to a peer. */
typedef struct
{
  GtaskletNodeItemKind kind;
  char                *dest;
  char                *sender;
  char                *name;
  GVariant            *payload;   /* "(sv)", or "((sis)(sv))" for a DOWN */
  GUnixFDList         *fds;       /* the handles in payload index this; NULL if none */
} GtaskletNodeItem;

/* A local tasklet that peers know by its key "#<id>": an exported one, or one that sent to a
 * peer. Its end becomes a DOWN item for each peer that knows it. */
struct _GtaskletNodeRegistration
{
  GtaskletFinishWatch  watch;
  /* Weak: a tasklet may end on its thread while the node goes on its own. */
  GWeakRef             node;
  GtaskletTasklet     *tasklet;   /* referenced until it finished */
  char                 key[24];
  GPtrArray           *holders;   /* GtaskletNodePeer, referenced */
  gboolean             finished;
};

struct _GtaskletNodePeer
{
  int                  refs;
  GtaskletNode        *node;      /* not referenced: the node ends its peers before it goes */
  char                *name;      /* the peer's unique bus name; NULL peer to peer */
  gboolean             lost;

  GQueue               outbound;  /* GtaskletNodeItem */
  guint64              out_seq;   /* the number of the last item sent */
  guint64              acked;     /* the last of ours the peer took (credit it gave back) */
  gboolean             confirmed; /* a node answered there (or called us) */
  gboolean             confirming; /* the first call, which asks for an answer, is on its way */

  guint64              in_seq;    /* node thread: the number of the last item received */
  guint64              taken;     /* the last of theirs taken into mailboxes with room */
  guint64              credit_sent; /* the last credit sent back */
  GHashTable          *proxies;   /* their key → our handle (GtaskletTasklet, referenced) */
  GHashTable          *aliases;   /* their name for one of ours ("@n") → registration key */
  GHashTable          *held;      /* the keys of ours they were given ("#<id>") */
  GPtrArray           *spawned;   /* registrations of tasklets they spawned here */
  GQueue               deferred;  /* node thread: Deliver() calls answered when there is room */
  GPtrArray           *room_waiters; /* armed room conditions (gtasklet-node-room.c) */
  guint                owner_watch;

  /* Peer to peer: the socket both nodes use instead of Deliver() calls once it is open
   * (gtasklet-node-channel.c); on_channel says which path the items go by now. Node
   * thread, read under the lock by the flush. */
  GtaskletNodeChannel *channel;
  gboolean             channel_asked;
  gboolean             on_channel;
};

struct _GtaskletNode
{
  GObject              parent_instance;

  GDBusConnection     *connection;
  GMainContext        *context;
  guint                object_id;
  gulong               closed_handler;
  gboolean             peer_to_peer;
  gboolean             closed;

  GMutex               lock;
  GHashTable          *peers;          /* name ("" peer to peer) → GtaskletNodePeer */
  GHashTable          *registrations;  /* GtaskletTasklet → GtaskletNodeRegistration */
  GHashTable          *by_key;         /* "#<id>" → GtaskletNodeRegistration */
  GHashTable          *exports;        /* name → "#<id>" */
  GHashTable          *factories;      /* node thread: name → GtaskletNodeFactoryEntry */
  guint64              next_id;
  guint64              next_alias;
  GSource             *flush_source;
  GSource             *credit_source;  /* credits alone, after steps and flushes */
  GSource             *retry_source;   /* node thread: rechecks deferred Deliver() calls */
  gsize                max_message_size;
  guint                window;
};

/* gtasklet-node-registry.c */
void                      _gtasklet_node_registration_free (GtaskletNodeRegistration *registration);
GtaskletNodeRegistration *_gtasklet_node_register_locked   (GtaskletNode     *self,
                                                            GtaskletTasklet  *tasklet);
void                      _gtasklet_node_hold_locked       (GtaskletNodeRegistration *registration,
                                                            GtaskletNodePeer *peer);
GtaskletTasklet          *_gtasklet_node_find_local_locked (GtaskletNode     *self,
                                                            GtaskletNodePeer *peer,
                                                            const char       *key);
/* gtasklet-node.c */
void                      _gtasklet_node_wake_locked       (GtaskletNode     *self);
void                      _gtasklet_node_credit_soon_locked (GtaskletNode    *self);
GPtrArray                *_gtasklet_node_peers_locked      (GtaskletNode     *self);
GtaskletNodePeer         *_gtasklet_node_get_peer          (GtaskletNode     *self,
                                                            const char       *name);
GtaskletTasklet          *_gtasklet_node_spawn_local       (GtaskletNode     *self,
                                                            const char       *name,
                                                            GVariant         *args,
                                                            GError          **error);

/* gtasklet-node-peer.c */
GtaskletNodePeer *_gtasklet_node_peer_new          (GtaskletNode     *node,
                                                    const char       *name);
GtaskletNodePeer *_gtasklet_node_peer_ref          (GtaskletNodePeer *self);
void              _gtasklet_node_peer_unref        (GtaskletNodePeer *self);
GtaskletTasklet  *_gtasklet_node_peer_proxy_locked (GtaskletNodePeer *self,
                                                    const char       *key,
                                                    gboolean         *created);
GtaskletNodePeer *_gtasklet_node_handle_get_peer   (GtaskletNode     *node,
                                                    GtaskletTasklet  *handle);
void              _gtasklet_node_peer_resolve_locked (GtaskletNodePeer *self,
                                                      const char       *alias,
                                                      const char       *key);
GtaskletTasklet  *_gtasklet_node_peer_take_proxy_locked (GtaskletNodePeer *self,
                                                         const char       *key);
void              _gtasklet_node_peer_push_locked  (GtaskletNodePeer *self,
                                                    GtaskletNodeItemKind kind,
                                                    const char       *dest,
                                                    const char       *sender,
                                                    const char       *name,
                                                    GVariant         *payload,
                                                    GUnixFDList      *fds);
void              _gtasklet_node_peer_flush        (GtaskletNodePeer *self);
void              _gtasklet_node_peer_send_credit  (GtaskletNodePeer *self);
void              _gtasklet_node_peer_open_channel (GtaskletNodePeer *self);
void              _gtasklet_node_peer_lose         (GtaskletNodePeer *self,
                                                    const GError     *error);
void              _gtasklet_node_item_free         (GtaskletNodeItem *item);

/* gtasklet-node-channel.c */
GtaskletNodeChannel *_gtasklet_node_channel_new   (GtaskletNodePeer    *peer,
                                                   int                  fd);
void                 _gtasklet_node_channel_send  (GtaskletNodeChannel *self,
                                                   GVariant            *batch);
void                 _gtasklet_node_channel_close (GtaskletNodeChannel *self);
void                 _gtasklet_node_channel_free  (GtaskletNodeChannel *self);

/* gtasklet-node-room.c */
GtaskletWaitCondition *_gtasklet_node_room_new          (GtaskletNode     *node,
                                                         GtaskletNodePeer *peer);
void                   _gtasklet_node_peer_wake_senders (GtaskletNodePeer *peer);

/* gtasklet-node-inbound.c */
void              _gtasklet_node_handle_call       (GDBusConnection       *connection,
                                                    const char            *sender,
                                                    const char            *object_path,
                                                    const char            *interface_name,
                                                    const char            *method_name,
                                                    GVariant              *parameters,
                                                    GDBusMethodInvocation *invocation,
                                                    gpointer               user_data);
gboolean          _gtasklet_node_retry_deferred    (gpointer               user_data);
void              _gtasklet_node_receive_batch     (GtaskletNode          *node,
                                                    GtaskletNodePeer      *peer,
                                                    GVariant              *parameters,
                                                    GUnixFDList           *fds,
                                                    GDBusMethodInvocation *invocation);
void              _gtasklet_node_fail_deferred     (GtaskletNodePeer      *peer,
                                                    const GError          *error);

G_END_DECLS
