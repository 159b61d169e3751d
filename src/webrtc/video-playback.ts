/**
 * Plays the avatar's stream with sound. A browser that blocks autoplay with sound gets it muted instead (the
 * picture still moves), and the caller offers a "tap to turn on sound" control, whose tap calls this again (a user gesture lets the sound through).
 */
export async function playWithSound(video: HTMLVideoElement): Promise<'playing' | 'muted' | 'stopped'> {
  video.muted = false;
  try {
    await video.play();
    return 'playing';
  } catch (err) {
    if ((err as DOMException).name !== 'NotAllowedError') return 'stopped'; // replaced or removed
  }
  video.muted = true;
  return video.play().then(
    () => 'muted',
    () => 'stopped',
  );
}
