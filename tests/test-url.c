/* test-url.c: tests for sonde_url_parse() and the messages it gives people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sonde-error.h"
#include "sonde-url.h"

typedef struct
{
  const char     *text;
  SondeTransport  transport;
  const char     *scheme;
  const char     *host;
  int             port;
  const char     *path;
  const char     *query;
} GoodUrl;

static void
check_good (const GoodUrl *good)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  SondeTransport transport = SONDE_TRANSPORT_SSE;
  gboolean ok;

  /* Start from the other transport so a missing write is noticed. */
  transport = good->transport == SONDE_TRANSPORT_SSE ? SONDE_TRANSPORT_WEBSOCKET
                                                     : SONDE_TRANSPORT_SSE;

  ok = sonde_url_parse (good->text, &transport, &uri, &error);
  if (!ok)
    g_test_message ("'%s' was refused: %s", good->text, error->message);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (uri);
  g_assert_cmpint (transport, ==, good->transport);

  g_assert_cmpstr (g_uri_get_scheme (uri), ==, good->scheme);
  g_assert_cmpstr (g_uri_get_host (uri), ==, good->host);
  g_assert_cmpint (g_uri_get_port (uri), ==, good->port);
  g_assert_cmpstr (g_uri_get_path (uri), ==, good->path);
  g_assert_cmpstr (g_uri_get_query (uri), ==, good->query);
}

static void
check_good_list (const GoodUrl *list,
                 gsize          n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *escaped = g_strescape (list[i].text, NULL);

      g_test_message ("checking '%s'", escaped);
      check_good (&list[i]);
    }
}

/* Returns the message, so callers can compare messages between cases. */
static char *
check_bad (const char *text,
           int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *escaped = g_strescape (text, NULL);
  SondeTransport transport = SONDE_TRANSPORT_WEBSOCKET;
  gboolean ok;

  g_test_message ("checking that '%s' is refused", escaped);

  ok = sonde_url_parse (text, &transport, &uri, &error);
  g_assert_false (ok);
  g_assert_error (error, SONDE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  /* Outputs stay untouched on failure. */
  g_assert_null (uri);
  g_assert_cmpint (transport, ==, SONDE_TRANSPORT_WEBSOCKET);

  return g_strdup (error->message);
}

/* Every string in @texts must be refused with the same message. */
static char *
check_bad_same (const char * const *texts,
                int                 code)
{
  g_autofree char *first = NULL;

  g_assert_nonnull (texts[0]);
  first = check_bad (texts[0], code);

  for (guint i = 1; texts[i] != NULL; i++)
    {
      g_autofree char *message = check_bad (texts[i], code);

      g_assert_cmpstr (message, ==, first);
    }

  return g_steal_pointer (&first);
}

static void
test_http (void)
{
  static const GoodUrl list[] = {
    { "http://example.com/events", SONDE_TRANSPORT_SSE, "http", "example.com", -1, "/events", NULL },
    { "https://example.com/events", SONDE_TRANSPORT_SSE, "https", "example.com", -1, "/events", NULL },
    { "http://example.com", SONDE_TRANSPORT_SSE, "http", "example.com", -1, "", NULL },
    { "https://example.com:8443/a/b/c?x=1&y=2", SONDE_TRANSPORT_SSE,
      "https", "example.com", 8443, "/a/b/c", "x=1&y=2" },
    { "http://127.0.0.1:8080/sse", SONDE_TRANSPORT_SSE, "http", "127.0.0.1", 8080, "/sse", NULL },
    { "http://localhost:1/", SONDE_TRANSPORT_SSE, "http", "localhost", 1, "/", NULL },
    { "http://user:secret@example.com/stream", SONDE_TRANSPORT_SSE,
      "http", "example.com", -1, "/stream", NULL },
    /* A fragment is fine for SSE: the browser would drop it, and so does the request. */
    { "https://example.com/events#latest", SONDE_TRANSPORT_SSE,
      "https", "example.com", -1, "/events", NULL },
    /* Percent-encoding is kept as typed. */
    { "http://example.com/a%20b?q=%C3%A4", SONDE_TRANSPORT_SSE,
      "http", "example.com", -1, "/a%20b", "q=%C3%A4" },
  };

  check_good_list (list, G_N_ELEMENTS (list));
}

static void
test_websocket (void)
{
  static const GoodUrl list[] = {
    { "ws://example.com/socket", SONDE_TRANSPORT_WEBSOCKET, "ws", "example.com", -1, "/socket", NULL },
    { "wss://example.com/socket", SONDE_TRANSPORT_WEBSOCKET, "wss", "example.com", -1, "/socket", NULL },
    { "ws://127.0.0.1:9001", SONDE_TRANSPORT_WEBSOCKET, "ws", "127.0.0.1", 9001, "", NULL },
    { "wss://echo.example.org:443/chat?room=1&token=a%2Fb", SONDE_TRANSPORT_WEBSOCKET,
      "wss", "echo.example.org", 443, "/chat", "room=1&token=a%2Fb" },
  };

  check_good_list (list, G_N_ELEMENTS (list));
}

static void
test_scheme_case (void)
{
  /* g_uri_parse() lowers the scheme, so the URL Sonde keeps is canonical. */
  static const GoodUrl list[] = {
    { "HTTP://example.com/x", SONDE_TRANSPORT_SSE, "http", "example.com", -1, "/x", NULL },
    { "Https://example.com/x", SONDE_TRANSPORT_SSE, "https", "example.com", -1, "/x", NULL },
    { "WS://example.com/x", SONDE_TRANSPORT_WEBSOCKET, "ws", "example.com", -1, "/x", NULL },
    { "wSs://example.com/x", SONDE_TRANSPORT_WEBSOCKET, "wss", "example.com", -1, "/x", NULL },
  };

  check_good_list (list, G_N_ELEMENTS (list));
}

static void
test_ipv6 (void)
{
  static const GoodUrl list[] = {
    { "http://[::1]:8080/events", SONDE_TRANSPORT_SSE, "http", "::1", 8080, "/events", NULL },
    { "https://[2001:db8::7]/events?x", SONDE_TRANSPORT_SSE, "https", "2001:db8::7", -1, "/events", "x" },
    { "ws://[::1]/socket", SONDE_TRANSPORT_WEBSOCKET, "ws", "::1", -1, "/socket", NULL },
    { "wss://[fe80::1]:9443/", SONDE_TRANSPORT_WEBSOCKET, "wss", "fe80::1", 9443, "/", NULL },
  };

  check_good_list (list, G_N_ELEMENTS (list));
}

static void
test_whitespace_trimmed (void)
{
  static const GoodUrl list[] = {
    { "  http://example.com/events", SONDE_TRANSPORT_SSE, "http", "example.com", -1, "/events", NULL },
    { "wss://example.com/socket   ", SONDE_TRANSPORT_WEBSOCKET, "wss", "example.com", -1, "/socket", NULL },
    { "\t\n https://example.com:444/x?y \r\n", SONDE_TRANSPORT_SSE, "https", "example.com", 444, "/x", "y" },
  };
  g_autoptr(GUri) uri = NULL;
  g_autofree char *again = NULL;

  check_good_list (list, G_N_ELEMENTS (list));

  /* The URL handed back is the trimmed one, not the typed one. */
  g_assert_true (sonde_url_parse ("  ws://example.com/a?b  ", NULL, &uri, NULL));
  again = g_uri_to_string (uri);
  g_assert_cmpstr (again, ==, "ws://example.com/a?b");
}

static void
test_optional_outputs (void)
{
  g_autoptr(GError) error = NULL;
  SondeTransport transport = SONDE_TRANSPORT_SSE;

  g_assert_true (sonde_url_parse ("http://example.com/", NULL, NULL, NULL));
  g_assert_true (sonde_url_parse ("wss://example.com/", &transport, NULL, NULL));
  g_assert_cmpint (transport, ==, SONDE_TRANSPORT_WEBSOCKET);
  g_assert_false (sonde_url_parse ("ftp://example.com/", NULL, NULL, NULL));
  g_assert_false (sonde_url_parse ("", NULL, NULL, &error));
  g_assert_error (error, SONDE_ERROR, SONDE_ERROR_INVALID_URL);
}

static void
test_empty (void)
{
  static const char * const texts[] = { "", " ", "   ", "\t", "\n", " \t\r\n ", NULL };
  g_autofree char *message = check_bad_same (texts, SONDE_ERROR_INVALID_URL);

  g_test_message ("message: %s", message);
}

static void
test_inner_space (void)
{
  static const char * const texts[] = {
    "http://example.com/my events",
    "http://exa mple.com/",
    "wss://example.com/socket?a=b c",
    "https://example.com/\tx",
    " ws://example.com/a b ",
    NULL
  };
  g_autofree char *message = check_bad_same (texts, SONDE_ERROR_INVALID_URL);

  /* The message tells how to write a space instead. */
  g_assert_nonnull (strstr (message, "%20"));
}

static void
test_no_scheme (void)
{
  /* "localhost:8080" would pass for scheme "localhost" if only the colon were
   * looked at; people mean a host and a port. */
  static const char * const texts[] = {
    "example.com/x",
    "example.com",
    "localhost:8080/x",
    "localhost:8080",
    "127.0.0.1:9000/events",
    "//example.com/events",
    "/events",
    "http:example.com",
    NULL
  };
  g_autofree char *message = check_bad_same (texts, SONDE_ERROR_INVALID_URL);

  g_assert_nonnull (strstr (message, "http://"));
  g_assert_nonnull (strstr (message, "wss://"));
}

static void
test_unsupported_scheme (void)
{
  static const struct {
    const char *text;
    const char *scheme;
  } list[] = {
    { "ftp://example.com/file", "ftp" },
    { "file:///tmp/recording.jsonl", "file" },
    { "gopher://example.com/", "gopher" },
    { "mailto://someone@example.com", "mailto" },
  };
  g_autofree char *ftp_message = NULL;
  g_autofree char *mailto_message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (list); i++)
    {
      g_autofree char *message = check_bad (list[i].text, SONDE_ERROR_UNSUPPORTED_SCHEME);

      /* The message names the scheme that was typed. */
      g_assert_nonnull (strstr (message, list[i].scheme));
      if (i == 0)
        ftp_message = g_steal_pointer (&message);
    }

  /* The usual "mailto:" has no "//"; it reads like host:port, so it gets the
   * "start with http://" hint, which is still the right advice. */
  mailto_message = check_bad ("mailto:someone@example.com", SONDE_ERROR_INVALID_URL);
  g_assert_cmpstr (mailto_message, !=, ftp_message);
  g_assert_nonnull (strstr (mailto_message, "http://"));
}

static void
test_unparsable (void)
{
  static const char * const texts[] = {
    "http://example.com:99999/events",
    "ws://example.com:65536/",
    "http://example.com:12ab/",
    "http://example.com/%zz",
    "wss://example.com/socket?x=%4",
    "http://[::1/events",
    NULL
  };
  g_autofree char *first = NULL;

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *message = check_bad (texts[i], SONDE_ERROR_INVALID_URL);

      /* Each carries GLib's own reason after a fixed lead-in, so only the
       * lead-in is shared between them. */
      if (first == NULL)
        first = g_strdup (message);
      g_assert_nonnull (strchr (message, ':'));
      g_assert_cmpint (strncmp (message, first, strchr (first, ':') - first), ==, 0);
    }
}

static void
test_no_host (void)
{
  static const char * const texts[] = {
    "http:///x",
    "https:///",
    "ws:///socket",
    "wss://:443/socket",
    NULL
  };
  g_autofree char *message = check_bad_same (texts, SONDE_ERROR_INVALID_URL);

  g_test_message ("message: %s", message);
}

static void
test_websocket_fragment (void)
{
  static const char * const texts[] = {
    "ws://example.com/socket#top",
    "wss://example.com/#",
    "WSS://example.com/socket?x=1#y",
    NULL
  };
  g_autofree char *message = check_bad_same (texts, SONDE_ERROR_INVALID_URL);

  g_assert_nonnull (strchr (message, '#'));
}

/* Each kind of mistake has its own sentence: the window shows it as people type. */
static void
test_messages_differ (void)
{
  static const struct {
    const char *text;
    int         code;
  } cases[] = {
    { "", SONDE_ERROR_INVALID_URL },
    { "http://a b/", SONDE_ERROR_INVALID_URL },
    { "example.com/x", SONDE_ERROR_INVALID_URL },
    { "ftp://example.com/", SONDE_ERROR_UNSUPPORTED_SCHEME },
    { "http://example.com:99999/", SONDE_ERROR_INVALID_URL },
    { "http://example.com/%zz", SONDE_ERROR_INVALID_URL },
    { "http:///x", SONDE_ERROR_INVALID_URL },
    { "ws://example.com/#x", SONDE_ERROR_INVALID_URL },
  };
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (messages, check_bad (cases[i].text, cases[i].code));

  for (guint i = 0; i < messages->len; i++)
    {
      for (guint j = i + 1; j < messages->len; j++)
        {
          if (g_str_equal (g_ptr_array_index (messages, i), g_ptr_array_index (messages, j)))
            g_error ("'%s' and '%s' give the same message: %s",
                     cases[i].text, cases[j].text, (char *)g_ptr_array_index (messages, i));
        }
    }
}

static void
test_bad_arguments (void)
{
  g_autoptr(GError) error = NULL;
  GError *set = NULL;

  if (!g_test_undefined ())
    return;

  g_test_expect_message ("Sonde", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (sonde_url_parse (NULL, NULL, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  /* A GError that is already set is a programming error, not a bad URL. */
  set = g_error_new_literal (SONDE_ERROR, SONDE_ERROR_FAILED, "earlier");
  g_test_expect_message ("Sonde", G_LOG_LEVEL_CRITICAL, "*error == NULL*");
  g_assert_false (sonde_url_parse ("http://example.com/", NULL, NULL, &set));
  g_test_assert_expected_messages ();
  g_assert_error (set, SONDE_ERROR, SONDE_ERROR_FAILED);
  g_clear_error (&set);
}

static void
test_transport_to_string (void)
{
  g_assert_cmpstr (sonde_transport_to_string (SONDE_TRANSPORT_SSE), ==, "sse");
  g_assert_cmpstr (sonde_transport_to_string (SONDE_TRANSPORT_WEBSOCKET), ==, "websocket");
  g_assert_cmpstr (sonde_transport_to_string (SONDE_TRANSPORT_SSE), !=,
                   sonde_transport_to_string (SONDE_TRANSPORT_WEBSOCKET));

  if (g_test_undefined ())
    {
      g_test_expect_message ("Sonde", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
      g_assert_null (sonde_transport_to_string ((SondeTransport)42));
      g_test_assert_expected_messages ();
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sonde/url/http", test_http);
  g_test_add_func ("/sonde/url/websocket", test_websocket);
  g_test_add_func ("/sonde/url/scheme-case", test_scheme_case);
  g_test_add_func ("/sonde/url/ipv6", test_ipv6);
  g_test_add_func ("/sonde/url/whitespace-trimmed", test_whitespace_trimmed);
  g_test_add_func ("/sonde/url/optional-outputs", test_optional_outputs);
  g_test_add_func ("/sonde/url/empty", test_empty);
  g_test_add_func ("/sonde/url/inner-space", test_inner_space);
  g_test_add_func ("/sonde/url/no-scheme", test_no_scheme);
  g_test_add_func ("/sonde/url/unsupported-scheme", test_unsupported_scheme);
  g_test_add_func ("/sonde/url/unparsable", test_unparsable);
  g_test_add_func ("/sonde/url/no-host", test_no_host);
  g_test_add_func ("/sonde/url/websocket-fragment", test_websocket_fragment);
  g_test_add_func ("/sonde/url/messages-differ", test_messages_differ);
  g_test_add_func ("/sonde/url/bad-arguments", test_bad_arguments);
  g_test_add_func ("/sonde/url/transport-to-string", test_transport_to_string);

  return g_test_run ();
}
