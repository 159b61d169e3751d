<?php
/**
 * Settings → NavTalk Avatar. Settings API only (it supplies the nonce and the manage_options check on save).
 * There is no license field on purpose: the license stays in the relay's environment (`npm run relay`).
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** Sanitise the whole option; keys other than the five below (a "license", say) are never stored. */
function navtalk_avatar_sanitize_options( $input ) {
	$input = is_array( $input ) ? $input : array();
	$out   = array(
		'relay_url'  => '',
		'avatar_id'  => '',
		'character'  => '',
		'mode'       => 'inline',
		'script_url' => '',
	);

	$raw_relay = isset( $input['relay_url'] ) && is_string( $input['relay_url'] ) ? trim( $input['relay_url'] ) : '';
	$out['relay_url'] = navtalk_avatar_clean_relay_url( $raw_relay );
	if ( '' !== $raw_relay && '' === $out['relay_url'] ) {
		add_settings_error( NAVTALK_AVATAR_OPTION, 'relay_url', __( 'The relay URL must start with wss:// (or ws:// for local testing).', 'navtalk-avatar' ) );
	}

	$raw_script = isset( $input['script_url'] ) && is_string( $input['script_url'] ) ? trim( $input['script_url'] ) : '';
	$out['script_url'] = navtalk_avatar_clean_script_url( $raw_script );
	if ( '' !== $raw_script && '' === $out['script_url'] ) {
		add_settings_error( NAVTALK_AVATAR_OPTION, 'script_url', __( 'The script URL must be an https:// (or http://) URL.', 'navtalk-avatar' ) );
	}

	$out['avatar_id'] = isset( $input['avatar_id'] ) ? navtalk_avatar_clean_text( $input['avatar_id'], 128 ) : '';
	$out['character'] = isset( $input['character'] ) ? navtalk_avatar_clean_text( $input['character'], 128 ) : '';
	$mode             = isset( $input['mode'] ) ? navtalk_avatar_clean_choice( $input['mode'], navtalk_avatar_modes() ) : '';
	$out['mode']      = '' !== $mode ? $mode : 'inline';
	return $out;
}

function navtalk_avatar_admin_init() {
	register_setting(
		'navtalk_avatar',
		NAVTALK_AVATAR_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'navtalk_avatar_sanitize_options',
			'default'           => array(),
		)
	);
	add_settings_section( 'navtalk_avatar_main', __( 'Connection and defaults', 'navtalk-avatar' ), 'navtalk_avatar_section_intro', 'navtalk-avatar' );

	$fields = array(
		'relay_url'  => __( 'Relay URL', 'navtalk-avatar' ),
		'avatar_id'  => __( 'Default avatar id', 'navtalk-avatar' ),
		'character'  => __( 'Default character', 'navtalk-avatar' ),
		'mode'       => __( 'Default mode', 'navtalk-avatar' ),
		'script_url' => __( 'Script URL (optional)', 'navtalk-avatar' ),
	);
	foreach ( $fields as $key => $label ) {
		add_settings_field( 'navtalk_avatar_' . $key, $label, 'navtalk_avatar_field', 'navtalk-avatar', 'navtalk_avatar_main', array( 'key' => $key, 'label_for' => 'navtalk_avatar_' . $key ) );
	}
}
add_action( 'admin_init', 'navtalk_avatar_admin_init' );

function navtalk_avatar_admin_menu() {
	add_options_page( __( 'NavTalk Avatar', 'navtalk-avatar' ), __( 'NavTalk Avatar', 'navtalk-avatar' ), 'manage_options', 'navtalk-avatar', 'navtalk_avatar_settings_page' );
}
add_action( 'admin_menu', 'navtalk_avatar_admin_menu' );

function navtalk_avatar_section_intro() {
	echo '<p>' . esc_html__( 'Pages connect to your NavTalk relay, which adds the NavTalk license on the server side (NAVTALK_LICENSE=… npm run relay). The license is never entered here and never reaches the browser.', 'navtalk-avatar' ) . '</p>';
	echo '<p>' . esc_html__( 'Shortcode: [navtalk_avatar avatar_id="" character="" mode="inline|floating" position="bottom-right|bottom-left" lang="" voice="" prompt="" text_only="0|1"]', 'navtalk-avatar' ) . '</p>';
}

function navtalk_avatar_field( $args ) {
	$options = navtalk_avatar_get_options();
	$key     = $args['key'];
	$id      = 'navtalk_avatar_' . $key;
	$name    = NAVTALK_AVATAR_OPTION . '[' . $key . ']';

	if ( 'mode' === $key ) {
		echo '<select id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '">';
		foreach ( navtalk_avatar_modes() as $mode ) {
			echo '<option value="' . esc_attr( $mode ) . '"' . selected( $options['mode'], $mode, false ) . '>' . esc_html( $mode ) . '</option>';
		}
		echo '</select>';
		return;
	}

	$placeholders = array(
		'relay_url'  => 'wss://www.example.com/navtalk',
		'avatar_id'  => '',
		'character'  => '',
		'script_url' => '',
	);
	$type = ( 'relay_url' === $key || 'script_url' === $key ) ? 'url' : 'text';
	echo '<input type="' . esc_attr( $type ) . '" class="regular-text" id="' . esc_attr( $id ) . '" name="' . esc_attr( $name ) . '" value="' . esc_attr( $options[ $key ] ) . '" placeholder="' . esc_attr( $placeholders[ $key ] ) . '">';

	if ( 'script_url' === $key ) {
		$bundled = file_exists( plugin_dir_path( NAVTALK_AVATAR_FILE ) . 'assets/navtalk-avatar.js' );
		echo '<p class="description">' . esc_html(
			$bundled
				? __( 'Empty: the copy shipped in the plugin (assets/navtalk-avatar.js).', 'navtalk-avatar' )
				: __( 'assets/navtalk-avatar.js is missing from the plugin: set the URL of navtalk-avatar.js here.', 'navtalk-avatar' )
		) . '</p>';
	}
	if ( 'avatar_id' === $key ) {
		echo '<p class="description">' . esc_html__( 'Wins over the character when both are set.', 'navtalk-avatar' ) . '</p>';
	}
}

function navtalk_avatar_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	echo '<div class="wrap"><h1>' . esc_html( get_admin_page_title() ) . '</h1>';
	echo '<form action="options.php" method="post">';
	settings_fields( 'navtalk_avatar' );
	do_settings_sections( 'navtalk-avatar' );
	submit_button();
	echo '</form></div>';
}
