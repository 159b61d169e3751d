<?php
/**
 * Plugin Name:       NavTalk Avatar
 * Description:       Puts a NavTalk real-time digital human on a page with the [navtalk_avatar] shortcode. Connects through your own NavTalk relay: the license stays on the relay, never in WordPress or the browser.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           MIT
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       navtalk-avatar
 *
 * The NavTalk license is deliberately NOT a setting of this plugin: it lives in the environment of the relay
 * (`NAVTALK_LICENSE=… npm run relay`, see the project README), and the plugin only knows the relay's wss:// URL.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'NAVTALK_AVATAR_VERSION', '0.1.0' );
define( 'NAVTALK_AVATAR_OPTION', 'navtalk_avatar_options' );
define( 'NAVTALK_AVATAR_HANDLE', 'navtalk-avatar' );
define( 'NAVTALK_AVATAR_FILE', __FILE__ );

/** Allowed values of the whitelisted attributes. */
function navtalk_avatar_modes() {
	return array( 'inline', 'floating' );
}

function navtalk_avatar_positions() {
	return array( 'bottom-right', 'bottom-left' );
}

/** Stored settings with defaults. Only these keys exist: anything else in the option is ignored. */
function navtalk_avatar_get_options() {
	$defaults = array(
		'relay_url'  => '',
		'avatar_id'  => '',
		'character'  => '',
		'mode'       => 'inline',
		'script_url' => '',
	);
	$stored = get_option( NAVTALK_AVATAR_OPTION, array() );
	if ( ! is_array( $stored ) ) {
		$stored = array();
	}
	$out = array();
	foreach ( $defaults as $key => $default ) {
		$out[ $key ] = isset( $stored[ $key ] ) && is_string( $stored[ $key ] ) ? $stored[ $key ] : $default;
	}
	return $out;
}

/** A ws:// or wss:// URL, or '' (esc_url_raw limited to ws/wss, then the scheme checked again). */
function navtalk_avatar_clean_relay_url( $value ) {
	if ( ! is_string( $value ) ) {
		return '';
	}
	$url = esc_url_raw( trim( $value ), array( 'ws', 'wss' ) );
	if ( ! is_string( $url ) || ! preg_match( '#^wss?://[^/\s"\'<>]+#i', $url ) ) {
		return '';
	}
	return $url;
}

/** An http(s) URL for the script, or ''. */
function navtalk_avatar_clean_script_url( $value ) {
	if ( ! is_string( $value ) ) {
		return '';
	}
	$url = esc_url_raw( trim( $value ), array( 'https', 'http' ) );
	if ( ! is_string( $url ) || ! preg_match( '#^https?://[^/\s"\'<>]+#i', $url ) ) {
		return '';
	}
	return $url;
}

/** Free text (avatar id, character, voice, prompt): sanitize_text_field, bounded length; '' if empty. */
function navtalk_avatar_clean_text( $value, $max = 200 ) {
	if ( ! is_scalar( $value ) ) {
		return '';
	}
	$text = sanitize_text_field( (string) $value );
	if ( function_exists( 'mb_substr' ) ) {
		$text = mb_substr( $text, 0, $max, 'UTF-8' );
	} else {
		$text = substr( $text, 0, $max );
	}
	return $text;
}

function navtalk_avatar_clean_choice( $value, array $allowed ) {
	$value = is_string( $value ) ? strtolower( trim( $value ) ) : '';
	return in_array( $value, $allowed, true ) ? $value : '';
}

/** A BCP 47-ish language tag (en, zh-CN, pt-BR), or ''. */
function navtalk_avatar_clean_lang( $value ) {
	$value = is_string( $value ) ? trim( $value ) : '';
	return preg_match( '/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/', $value ) ? $value : '';
}

function navtalk_avatar_truthy( $value ) {
	return in_array( is_scalar( $value ) ? strtolower( trim( (string) $value ) ) : '', array( '1', 'true', 'yes', 'on' ), true );
}

/* ------------------------------------------------------------------------------------------------ shortcode */

/**
 * [navtalk_avatar avatar_id="" character="" mode="inline|floating" position="" lang="" voice="" prompt="" text_only="0|1"]
 */
function navtalk_avatar_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'avatar_id' => '',
			'character' => '',
			'mode'      => '',
			'position'  => '',
			'lang'      => '',
			'voice'     => '',
			'prompt'    => '',
			'text_only' => '0',
		),
		$atts,
		'navtalk_avatar'
	);
	$options = navtalk_avatar_get_options();

	$relay = navtalk_avatar_clean_relay_url( $options['relay_url'] );
	if ( '' === $relay ) {
		if ( function_exists( 'current_user_can' ) && current_user_can( 'manage_options' ) ) {
			return '<p class="navtalk-avatar-notice">' . esc_html__( 'NavTalk Avatar: set the relay URL (wss://…) under Settings → NavTalk Avatar.', 'navtalk-avatar' ) . '</p>';
		}
		return '';
	}

	// The shortcode's own avatar wins as a whole; otherwise the defaults (avatar-id wins over character in the element).
	$avatar_id = navtalk_avatar_clean_text( $atts['avatar_id'], 128 );
	$character = navtalk_avatar_clean_text( $atts['character'], 128 );
	if ( '' === $avatar_id && '' === $character ) {
		$avatar_id = navtalk_avatar_clean_text( $options['avatar_id'], 128 );
		$character = navtalk_avatar_clean_text( $options['character'], 128 );
	}

	$mode = navtalk_avatar_clean_choice( $atts['mode'], navtalk_avatar_modes() );
	if ( '' === $mode ) {
		$mode = navtalk_avatar_clean_choice( $options['mode'], navtalk_avatar_modes() );
	}
	if ( '' === $mode ) {
		$mode = 'inline';
	}

	$attributes = array(
		'server-url' => $relay,
		'avatar-id'  => $avatar_id,
		'character'  => $character,
		'mode'       => $mode,
		'position'   => 'floating' === $mode ? navtalk_avatar_clean_choice( $atts['position'], navtalk_avatar_positions() ) : '',
		'lang'       => navtalk_avatar_clean_lang( $atts['lang'] ),
		'voice'      => navtalk_avatar_clean_text( $atts['voice'], 100 ),
		'prompt'     => navtalk_avatar_clean_text( $atts['prompt'], 4000 ),
	);

	$html = '<navtalk-avatar';
	foreach ( $attributes as $name => $value ) {
		if ( '' !== $value ) {
			$html .= ' ' . $name . '="' . esc_attr( $value ) . '"';
		}
	}
	if ( navtalk_avatar_truthy( $atts['text_only'] ) ) {
		$html .= ' text-only';
	}
	$html .= '></navtalk-avatar>';

	navtalk_avatar_enqueue();
	return $html;
}
add_shortcode( 'navtalk_avatar', 'navtalk_avatar_shortcode' );

/* ------------------------------------------------------------------------------------------------ script */

/** The module's URL: the configured script URL, else the copy shipped in assets/ (or '' if neither). */
function navtalk_avatar_script_src() {
	$options = navtalk_avatar_get_options();
	$custom  = navtalk_avatar_clean_script_url( $options['script_url'] );
	if ( '' !== $custom ) {
		return $custom;
	}
	if ( file_exists( plugin_dir_path( NAVTALK_AVATAR_FILE ) . 'assets/navtalk-avatar.js' ) ) {
		return plugins_url( 'assets/navtalk-avatar.js', NAVTALK_AVATAR_FILE );
	}
	return '';
}

/** Enqueue the CDN build once, as a module; inline mode gets a default height (themes can override it). */
function navtalk_avatar_enqueue() {
	static $done = false;
	if ( $done ) {
		return;
	}
	$done = true;

	wp_register_style( NAVTALK_AVATAR_HANDLE, false, array(), NAVTALK_AVATAR_VERSION );
	wp_enqueue_style( NAVTALK_AVATAR_HANDLE );
	wp_add_inline_style( NAVTALK_AVATAR_HANDLE, 'navtalk-avatar:not([mode="floating"]){display:block;height:600px;max-width:100%}' );

	$src = navtalk_avatar_script_src();
	if ( '' === $src ) {
		return;
	}
	if ( function_exists( 'wp_enqueue_script_module' ) ) {
		wp_enqueue_script_module( NAVTALK_AVATAR_HANDLE, $src, array(), NAVTALK_AVATAR_VERSION );
	} else {
		wp_enqueue_script( NAVTALK_AVATAR_HANDLE, $src, array(), NAVTALK_AVATAR_VERSION, true );
	}
}

/** Before WordPress 6.5 (no script modules): print our classic script tag as type="module". */
function navtalk_avatar_module_tag( $tag, $handle ) {
	if ( NAVTALK_AVATAR_HANDLE !== $handle ) {
		return $tag;
	}
	$tag = preg_replace( '/\stype=(["\'])[^"\']*\1/i', '', $tag );
	return preg_replace( '/<script\b/i', '<script type="module"', $tag, 1 );
}
add_filter( 'script_loader_tag', 'navtalk_avatar_module_tag', 10, 2 );

/* ------------------------------------------------------------------------------------------------ settings */

if ( is_admin() ) {
	require_once __DIR__ . '/includes/settings.php';
}
