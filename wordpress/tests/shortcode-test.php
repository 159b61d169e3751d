<?php
/**
 * Tests for the NavTalk Avatar plugin without WordPress: minimal stubs of the WordPress functions it uses, then the
 * shortcode and the settings sanitiser fed hostile values. Prints "N passed, N failed"; exits 1 on any failure.
 *
 *   php wordpress/tests/shortcode-test.php
 *
 * The stubs follow WordPress's documented behaviour closely enough for these checks (esc_attr is htmlspecialchars
 * with ENT_QUOTES in UTF-8; esc_url_raw returns '' for a scheme outside the allowed list). The run re-executes
 * itself once with NAVTALK_TEST_NO_SCRIPT_MODULES=1 to cover WordPress < 6.5 (no wp_enqueue_script_module).
 */

error_reporting( E_ALL );
ini_set( 'display_errors', '1' );
set_error_handler(
	function ( $severity, $message, $file, $line ) {
		throw new ErrorException( $message, 0, $severity, $file, $line );
	}
);

define( 'ABSPATH', __DIR__ . '/' );
$legacy = '1' === getenv( 'NAVTALK_TEST_NO_SCRIPT_MODULES' );

/* ------------------------------------------------------------------------------------------ WordPress stubs */

$GLOBALS['wp'] = array(
	'shortcodes'     => array(),
	'actions'        => array(),
	'filters'        => array(),
	'options'        => array(),
	'can'            => false,
	'modules'        => array(),
	'scripts'        => array(),
	'styles'         => array(),
	'inline_styles'  => array(),
	'settings'       => array(),
	'sections'       => array(),
	'fields'         => array(),
	'errors'         => array(),
	'pages'          => array(),
);

function add_shortcode( $tag, $callback ) { $GLOBALS['wp']['shortcodes'][ $tag ] = $callback; }
function shortcode_atts( $pairs, $atts, $shortcode = '' ) {
	$atts = (array) $atts;
	$out  = array();
	foreach ( $pairs as $name => $default ) {
		$out[ $name ] = array_key_exists( $name, $atts ) ? $atts[ $name ] : $default;
	}
	return $out;
}
function add_action( $hook, $callback, $priority = 10, $args = 1 ) { $GLOBALS['wp']['actions'][ $hook ][] = $callback; }
function add_filter( $hook, $callback, $priority = 10, $args = 1 ) { $GLOBALS['wp']['filters'][ $hook ][] = $callback; }
function apply_filters_stub( $hook, $value, ...$args ) {
	foreach ( $GLOBALS['wp']['filters'][ $hook ] ?? array() as $cb ) {
		$value = $cb( $value, ...$args );
	}
	return $value;
}
function get_option( $name, $default = false ) { return array_key_exists( $name, $GLOBALS['wp']['options'] ) ? $GLOBALS['wp']['options'][ $name ] : $default; }
function delete_option( $name ) { unset( $GLOBALS['wp']['options'][ $name ] ); return true; }
function is_admin() { return true; }
function current_user_can( $cap ) { return $GLOBALS['wp']['can'] && 'manage_options' === $cap; }
function esc_attr( $text ) { return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' ); }
function esc_html( $text ) { return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8' ); }
function __( $text, $domain = 'default' ) { return $text; }
function esc_html__( $text, $domain = 'default' ) { return esc_html( $text ); }
function sanitize_text_field( $str ) {
	$str = (string) $str;
	$str = preg_replace( '@<(script|style)[^>]*?>.*?</\\1>@si', '', $str );
	$str = strip_tags( $str );
	$str = preg_replace( '/[\r\n\t ]+/', ' ', $str );
	$str = preg_replace( '/%[a-f0-9]{2}/i', '', $str );
	return trim( $str );
}
function esc_url_raw( $url, $protocols = null ) {
	$url = trim( (string) $url );
	if ( '' === $url ) {
		return '';
	}
	$url       = preg_replace( '|[^a-z0-9-~+_.?#=!&;,/:%@$\|*\'()\[\]\x80-\xff]|i', '', $url );
	$protocols = $protocols ?: array( 'http', 'https', 'ftp', 'mailto', 'ws', 'wss' );
	if ( preg_match( '/^([a-z][a-z0-9+.-]*):/i', $url, $m ) ) {
		return in_array( strtolower( $m[1] ), $protocols, true ) ? $url : '';
	}
	return '/' === $url[0] ? $url : '';
}
function esc_url( $url, $protocols = null ) { return esc_attr( esc_url_raw( $url, $protocols ) ); }
function plugin_dir_path( $file ) { return rtrim( dirname( $file ), '/' ) . '/'; }
function plugins_url( $path, $plugin ) { return 'https://site.example/wp-content/plugins/navtalk-avatar/' . ltrim( $path, '/' ); }
function wp_register_style( $handle, $src, $deps = array(), $ver = false ) { $GLOBALS['wp']['styles'][ $handle ] = array( 'src' => $src, 'enqueued' => false ); }
function wp_enqueue_style( $handle ) { $GLOBALS['wp']['styles'][ $handle ]['enqueued'] = true; }
function wp_add_inline_style( $handle, $css ) { $GLOBALS['wp']['inline_styles'][ $handle ][] = $css; }
function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $in_footer = false ) {
	$GLOBALS['wp']['scripts'][] = array( 'handle' => $handle, 'src' => $src, 'in_footer' => $in_footer );
}
if ( ! $legacy ) {
	function wp_enqueue_script_module( $id, $src = '', $deps = array(), $version = false ) {
		$GLOBALS['wp']['modules'][] = array( 'id' => $id, 'src' => $src );
	}
}
function register_setting( $group, $name, $args = array() ) { $GLOBALS['wp']['settings'][ $name ] = array( 'group' => $group ) + $args; }
function add_settings_section( $id, $title, $callback, $page ) { $GLOBALS['wp']['sections'][ $page ][ $id ] = array( $title, $callback ); }
function add_settings_field( $id, $title, $callback, $page, $section = 'default', $args = array() ) { $GLOBALS['wp']['fields'][ $page ][ $section ][ $id ] = array( $title, $callback, $args ); }
function add_settings_error( $setting, $code, $message, $type = 'error' ) { $GLOBALS['wp']['errors'][] = array( $setting, $code, $message ); }
function add_options_page( $page_title, $menu_title, $capability, $slug, $callback ) { $GLOBALS['wp']['pages'][ $slug ] = compact( 'page_title', 'menu_title', 'capability', 'callback' ); return 'settings_page_' . $slug; }
function get_admin_page_title() { return 'NavTalk Avatar'; }
function selected( $a, $b, $echo = true ) { $r = (string) $a === (string) $b ? ' selected="selected"' : ''; if ( $echo ) { echo $r; } return $r; }
function settings_fields( $group ) {
	echo '<input type="hidden" name="option_page" value="' . esc_attr( $group ) . '">';
	echo '<input type="hidden" name="_wpnonce" value="nonce-' . esc_attr( $group ) . '-options">';
}
function do_settings_sections( $page ) {
	foreach ( $GLOBALS['wp']['sections'][ $page ] ?? array() as $id => $section ) {
		echo '<h2>' . esc_html( $section[0] ) . '</h2>';
		call_user_func( $section[1], array( 'id' => $id ) );
		foreach ( $GLOBALS['wp']['fields'][ $page ][ $id ] ?? array() as $field ) {
			echo '<label>' . esc_html( $field[0] ) . '</label>';
			call_user_func( $field[1], $field[2] );
		}
	}
}
function submit_button() { echo '<input type="submit" value="Save Changes">'; }

/* ------------------------------------------------------------------------------------------ harness */

$passed = 0;
$failed = 0;
function check( $name, $ok, $detail = '' ) {
	global $passed, $failed;
	if ( $ok ) {
		$passed++;
		echo "ok    $name\n";
	} else {
		$failed++;
		echo "FAIL  $name" . ( '' !== $detail ? "\n      $detail" : '' ) . "\n";
	}
}
function set_options( array $options ) { $GLOBALS['wp']['options']['navtalk_avatar_options'] = $options; }
function render( array $atts = array() ) { return call_user_func( $GLOBALS['wp']['shortcodes']['navtalk_avatar'], $atts, '', 'navtalk_avatar' ); }
/** Attributes of the single <navtalk-avatar> in $html, or null if $html is not exactly one well-formed, safe tag. */
function parse_element( $html ) {
	if ( ! preg_match( '/^<navtalk-avatar((?: [a-z-]+="[^"<>]*")*)( text-only)?><\/navtalk-avatar>$/', $html, $m ) ) {
		return null;
	}
	preg_match_all( '/ ([a-z-]+)="([^"]*)"/', $m[1], $pairs, PREG_SET_ORDER );
	$attrs = array();
	foreach ( $pairs as $p ) {
		if ( isset( $attrs[ $p[1] ] ) ) {
			return null; // a duplicated attribute means something got injected
		}
		$attrs[ $p[1] ] = html_entity_decode( $p[2], ENT_QUOTES | ENT_HTML5, 'UTF-8' );
	}
	if ( ! empty( $m[2] ) ) {
		$attrs['text-only'] = true;
	}
	return $attrs;
}
function show( $v ) { return var_export( $v, true ); }

require dirname( __DIR__ ) . '/navtalk-avatar/navtalk-avatar.php';
check( 'shortcode navtalk_avatar registered', isset( $GLOBALS['wp']['shortcodes']['navtalk_avatar'] ) );

$good = array(
	'relay_url' => 'wss://relay.example.com/navtalk',
	'avatar_id' => 'default-avatar',
	'character' => 'Default Person',
	'mode'      => 'inline',
	'script_url' => 'https://cdn.example/navtalk-avatar@0.1.0/navtalk-avatar.js',
);

/* ------------------------------------------------------------------------------------------ legacy run (WP < 6.5) */

if ( $legacy ) {
	set_options( $good );
	$html = render( array( 'avatar_id' => 'a1' ) );
	check( 'legacy: renders the element', null !== parse_element( $html ), $html );
	$s = $GLOBALS['wp']['scripts'];
	check( 'legacy: wp_enqueue_script used once, in the footer', 1 === count( $s ) && 'navtalk-avatar' === $s[0]['handle'] && true === $s[0]['in_footer'], show( $s ) );
	$tag = "<script type='text/javascript' src='https://site.example/a.js?ver=0.1.0' id='navtalk-avatar-js'></script>\n";
	$out = apply_filters_stub( 'script_loader_tag', $tag, 'navtalk-avatar', 'https://site.example/a.js' );
	check( 'legacy: script_loader_tag makes our tag type="module"', 1 === substr_count( $out, 'type=' ) && 0 === strpos( $out, '<script type="module" src=' ), $out );
	$other = "<script src='x.js' id='jquery-js'></script>";
	check( 'legacy: other scripts untouched', $other === apply_filters_stub( 'script_loader_tag', $other, 'jquery', 'x.js' ) );
	echo "$passed passed, $failed failed\n";
	exit( $failed > 0 ? 1 : 0 );
}

/* ------------------------------------------------------------------------------------------ rendering */

set_options( $good );
$html = render( array() );
$a    = parse_element( $html );
check( 'defaults: one well-formed element', null !== $a, $html );
check( 'defaults: server-url is the relay', 'wss://relay.example.com/navtalk' === ( $a['server-url'] ?? null ), show( $a ) );
check( 'defaults: avatar id and character from the settings', 'default-avatar' === ( $a['avatar-id'] ?? null ) && 'Default Person' === ( $a['character'] ?? null ), show( $a ) );
check( 'defaults: mode inline, no position, not text-only', 'inline' === ( $a['mode'] ?? null ) && ! isset( $a['position'] ) && ! isset( $a['text-only'] ), show( $a ) );

$a = parse_element( render( array( 'character' => 'Alice' ) ) );
check( 'shortcode character replaces both defaults', null !== $a && 'Alice' === $a['character'] && ! isset( $a['avatar-id'] ), show( $a ) );

$a = parse_element( render( array( 'avatar_id' => 'x9', 'mode' => 'floating', 'position' => 'bottom-left', 'lang' => 'zh-CN', 'voice' => 'alloy', 'prompt' => 'Be brief.', 'text_only' => '1' ) ) );
check( 'all valid attributes pass through', null !== $a && 'x9' === $a['avatar-id'] && 'floating' === $a['mode'] && 'bottom-left' === $a['position'] && 'zh-CN' === $a['lang'] && 'alloy' === $a['voice'] && 'Be brief.' === $a['prompt'] && true === $a['text-only'], show( $a ) );

$a = parse_element( render( array( 'text_only' => '0' ) ) );
check( 'text_only="0" leaves text-only off', null !== $a && ! isset( $a['text-only'] ), show( $a ) );

$xss = '"><script>alert(1)</script>';
foreach ( array( 'avatar_id', 'character', 'voice', 'prompt', 'lang', 'mode', 'position' ) as $key ) {
	$html = render( array( $key => $xss, 'mode' => 'mode' === $key ? $xss : 'floating' ) );
	check( "hostile $key: no markup escapes", null !== parse_element( $html ) && false === stripos( $html, '<script' ) && false === strpos( $html, '"><' . 'script' ), $html );
}
$html = render( array( 'character' => 'a" onclick="x' ) );
$a    = parse_element( $html );
check( 'double quote in a value is escaped as &quot;', null !== $a && false !== strpos( $html, 'character="a&quot; onclick=&quot;x"' ) && ! isset( $a['onclick'] ), $html );

$html = render( array( 'voice' => "' onmouseover='x" ) );
$a    = parse_element( $html );
check( "single quote in a value is escaped as &#039;", null !== $a && false === strpos( $html, "'" ) && false !== strpos( $html, '&#039; onmouseover=&#039;x' ) && ! isset( $a['onmouseover'] ), $html );

$html = render( array( 'prompt' => 'Tom & Jerry <b>bold</b> 中文' ) );
$a    = parse_element( $html );
check( 'ampersand escaped, tags stripped, UTF-8 kept', null !== $a && false !== strpos( $html, 'Tom &amp; Jerry bold 中文' ), $html );

$a = parse_element( render( array( 'mode' => 'popup' ) ) );
check( 'invalid mode dropped (falls back to the default mode)', null !== $a && 'inline' === $a['mode'], show( $a ) );
$a = parse_element( render( array( 'mode' => 'floating', 'position' => 'top-left' ) ) );
check( 'invalid position dropped', null !== $a && ! isset( $a['position'] ), show( $a ) );
$a = parse_element( render( array( 'mode' => 'inline', 'position' => 'bottom-left' ) ) );
check( 'position omitted for inline', null !== $a && ! isset( $a['position'] ), show( $a ) );
$a = parse_element( render( array( 'lang' => 'en" x="' ) ) );
check( 'malformed lang dropped', null !== $a && ! isset( $a['lang'] ), show( $a ) );
$a = parse_element( render( array( 'text_only' => '"><b>' ) ) );
check( 'junk text_only is false', null !== $a && ! isset( $a['text-only'] ), show( $a ) );

$a = parse_element( render( array( 'server_url' => 'wss://evil.example/x', 'license' => 'sk_from_shortcode', 'onload' => 'x()', 'autostart' => '1' ) ) );
check( 'unknown shortcode attributes (server_url, license, onload) dropped', null !== $a && 'wss://relay.example.com/navtalk' === $a['server-url'] && ! isset( $a['license'] ) && ! isset( $a['onload'] ) && ! isset( $a['autostart'] ), show( $a ) );

set_options( $good + array( 'mode' => 'floating' ) );
set_options( array_merge( $good, array( 'mode' => 'floating' ) ) );
$a = parse_element( render( array() ) );
check( 'default mode floating from the settings', null !== $a && 'floating' === $a['mode'], show( $a ) );
set_options( array_merge( $good, array( 'mode' => 'sideways' ) ) );
$a = parse_element( render( array() ) );
check( 'invalid stored mode falls back to inline', null !== $a && 'inline' === $a['mode'], show( $a ) );

/* ------------------------------------------------------------------------------------------ relay URL */

set_options( array_merge( $good, array( 'relay_url' => 'ws://127.0.0.1:8788/' ) ) );
$a = parse_element( render( array() ) );
check( 'ws:// relay accepted', null !== $a && 'ws://127.0.0.1:8788/' === $a['server-url'], show( $a ) );

foreach ( array( 'http://relay.example.com/navtalk', 'https://relay.example.com/', 'javascript:alert(1)', 'JaVaScRiPt:alert(document.cookie)', '//relay.example.com/x', 'data:text/html,<script>alert(1)</script>', '' ) as $bad ) {
	set_options( array_merge( $good, array( 'relay_url' => $bad ) ) );
	$GLOBALS['wp']['can'] = false;
	$visitor              = render( array() );
	$GLOBALS['wp']['can'] = true;
	$admin                = render( array() );
	check(
		'relay ' . show( $bad ) . ' refused: nothing for visitors, a notice for admins',
		'' === $visitor && false === strpos( $admin, '<navtalk-avatar' ) && false !== strpos( $admin, 'relay URL' ) && false === stripos( $admin, 'javascript' ) && false === stripos( $admin, '<script' ),
		$visitor . ' | ' . $admin
	);
}
$GLOBALS['wp']['can'] = false;

set_options( array_merge( $good, array( 'relay_url' => "wss://relay.example.com/a' onload='x\"><script>alert(1)</script>" ) ) );
$html = render( array() );
check( 'hostile stored relay URL cannot break out of server-url', '' === $html || ( null !== parse_element( $html ) && false === strpos( $html, "'" ) && false === stripos( $html, '<script' ) ), $html );

/* ------------------------------------------------------------------------------------------ the license */

set_options( array_merge( $good, array( 'license' => 'sk_live_SECRET_FROM_OPTION' ) ) );
$html = render( array( 'license' => 'sk_live_SECRET_FROM_SHORTCODE' ) );
check( 'license never rendered (stored or passed in the shortcode)', null !== parse_element( $html ) && false === stripos( $html, 'license' ) && false === strpos( $html, 'sk_live' ), $html );

/* ------------------------------------------------------------------------------------------ script loading */

$m = $GLOBALS['wp']['modules'];
check( 'module script enqueued exactly once for many shortcodes, from the configured URL', 1 === count( $m ) && 'navtalk-avatar' === $m[0]['id'] && 'https://cdn.example/navtalk-avatar@0.1.0/navtalk-avatar.js' === $m[0]['src'] && array() === $GLOBALS['wp']['scripts'], show( $m ) );
$bundled = file_exists( dirname( __DIR__ ) . '/navtalk-avatar/assets/navtalk-avatar.js' );
$expect  = $bundled ? 'https://site.example/wp-content/plugins/navtalk-avatar/assets/navtalk-avatar.js' : '';
set_options( array_merge( $good, array( 'script_url' => '' ) ) );
check( 'no script URL: the shipped assets/navtalk-avatar.js' . ( $bundled ? '' : ' (not copied: nothing to load)' ), $expect === navtalk_avatar_script_src(), navtalk_avatar_script_src() );
check( 'inline-mode height style attached', ! empty( $GLOBALS['wp']['styles']['navtalk-avatar']['enqueued'] ) && ! empty( $GLOBALS['wp']['inline_styles']['navtalk-avatar'] ) );

set_options( array_merge( $good, array( 'script_url' => 'https://cdn.example/navtalk-avatar@0.1.0/navtalk-avatar.js' ) ) );
check( 'configured script URL wins', 'https://cdn.example/navtalk-avatar@0.1.0/navtalk-avatar.js' === navtalk_avatar_script_src() );
set_options( array_merge( $good, array( 'script_url' => 'javascript:alert(1)' ) ) );
check( 'javascript: script URL ignored', $expect === navtalk_avatar_script_src(), navtalk_avatar_script_src() );

$tag = '<script src="https://site.example/a.js" id="navtalk-avatar-js"></script>';
check( 'script_loader_tag filter registered and adds type="module"', '<script type="module" src="https://site.example/a.js" id="navtalk-avatar-js"></script>' === apply_filters_stub( 'script_loader_tag', $tag, 'navtalk-avatar', '' ) );

/* ------------------------------------------------------------------------------------------ settings */

$GLOBALS['wp']['errors'] = array();
$clean = navtalk_avatar_sanitize_options(
	array(
		'relay_url'  => ' wss://relay.example.com/navtalk ',
		'avatar_id'  => $xss,
		'character'  => "Bob\n<i>x</i>",
		'mode'       => 'floating',
		'script_url' => 'https://cdn.example/n.js',
		'license'    => 'sk_live_SHOULD_NOT_BE_STORED',
		'extra'      => 'x',
	)
);
check( 'sanitiser keeps only the five known keys (no license)', array( 'relay_url', 'avatar_id', 'character', 'mode', 'script_url' ) === array_keys( $clean ), show( $clean ) );
check( 'sanitiser: wss URL kept, text fields sanitised', 'wss://relay.example.com/navtalk' === $clean['relay_url'] && '">' === $clean['avatar_id'] && 'Bob x' === $clean['character'] && 'floating' === $clean['mode'] && 'https://cdn.example/n.js' === $clean['script_url'], show( $clean ) );
check( 'sanitiser: no error for valid input', array() === $GLOBALS['wp']['errors'], show( $GLOBALS['wp']['errors'] ) );

foreach ( array( 'http://relay.example.com/' => '', 'javascript:alert(1)' => '', 'ws://localhost:8788' => 'ws://localhost:8788', 'WSS://Relay.example.com/x' => 'WSS://Relay.example.com/x' ) as $in => $want ) {
	$GLOBALS['wp']['errors'] = array();
	$c = navtalk_avatar_sanitize_options( array( 'relay_url' => $in, 'mode' => 'nope', 'script_url' => 'javascript:alert(1)' ) );
	check(
		'sanitiser relay ' . show( $in ) . ' -> ' . show( $want ) . ', bad mode -> inline, javascript: script URL dropped with an error',
		$want === $c['relay_url'] && 'inline' === $c['mode'] && '' === $c['script_url'] && count( $GLOBALS['wp']['errors'] ) === ( '' === $want ? 2 : 1 ),
		show( $c ) . ' ' . show( $GLOBALS['wp']['errors'] )
	);
}
check( 'sanitiser survives a non-array', 'inline' === navtalk_avatar_sanitize_options( 'garbage' )['mode'] );

navtalk_avatar_admin_init();
navtalk_avatar_admin_menu();
$setting = $GLOBALS['wp']['settings']['navtalk_avatar_options'] ?? array();
check( 'option registered through the Settings API with the sanitiser', 'navtalk_avatar' === ( $setting['group'] ?? '' ) && 'navtalk_avatar_sanitize_options' === ( $setting['sanitize_callback'] ?? '' ) );
$page = $GLOBALS['wp']['pages']['navtalk-avatar'] ?? array();
check( 'Settings → NavTalk Avatar page needs manage_options', 'manage_options' === ( $page['capability'] ?? '' ) && 'NavTalk Avatar' === ( $page['menu_title'] ?? '' ) );

set_options( array_merge( $good, array( 'character' => '"><script>alert(1)</script>x', 'avatar_id' => "' onfocus='y", 'license' => 'sk_live_SECRET_FROM_OPTION' ) ) );
$GLOBALS['wp']['can'] = false;
ob_start();
navtalk_avatar_settings_page();
check( 'settings page prints nothing without manage_options', '' === ob_get_clean() );
$GLOBALS['wp']['can'] = true;
ob_start();
navtalk_avatar_settings_page();
$page_html = ob_get_clean();
check( 'settings page: form posts to options.php with the Settings API nonce', false !== strpos( $page_html, 'action="options.php"' ) && false !== strpos( $page_html, 'name="_wpnonce"' ) && false !== strpos( $page_html, 'name="option_page" value="navtalk_avatar"' ) );
check( 'settings page: the four fields are there', false !== strpos( $page_html, 'name="navtalk_avatar_options[relay_url]"' ) && false !== strpos( $page_html, 'name="navtalk_avatar_options[avatar_id]"' ) && false !== strpos( $page_html, 'name="navtalk_avatar_options[character]"' ) && false !== strpos( $page_html, 'name="navtalk_avatar_options[mode]"' ) );
check( 'settings page: stored values escaped', false === stripos( $page_html, '<script' ) && false !== strpos( $page_html, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;x"' ) && false !== strpos( $page_html, 'value="&#039; onfocus=&#039;y"' ), $page_html );
check( 'settings page: no license field, no license value', false === strpos( $page_html, '[license]' ) && false === strpos( $page_html, 'sk_live' ) );
$GLOBALS['wp']['can'] = false;

/* ------------------------------------------------------------------------------------------ legacy WordPress, in a child process */

$cmd = escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( __FILE__ );
putenv( 'NAVTALK_TEST_NO_SCRIPT_MODULES=1' );
exec( $cmd . ' 2>&1', $lines, $code );
putenv( 'NAVTALK_TEST_NO_SCRIPT_MODULES' );
$last = (string) end( $lines );
foreach ( $lines as $line ) {
	if ( $line !== $last ) {
		echo $line . "\n";
	}
}
if ( preg_match( '/^(\d+) passed, (\d+) failed$/', $last, $mm ) ) {
	$passed += (int) $mm[1];
	$failed += (int) $mm[2];
	check( 'legacy child process exit code matches its result', ( 0 === $code ) === ( '0' === $mm[2] ) );
} else {
	check( 'legacy child process ran', false, implode( "\n", $lines ) );
}

echo "$passed passed, $failed failed\n";
exit( $failed > 0 ? 1 : 0 );
