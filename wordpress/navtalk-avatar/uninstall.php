<?php
// Removes the plugin's only option when the plugin is deleted from Plugins.
if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}
delete_option( 'navtalk_avatar_options' );
