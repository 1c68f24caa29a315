/**
 * Needle-in-a-video-haystack grids (V-NIAH, ANCHORS E1) made from real footage: haystack files (a
 * playlist of real clips, looped with shifted sampling phases to reach an hour or more), needles (real
 * photos found by an example picture, and rendered text cards asked about their text), and the
 * manifest items with the ground-truth needle intervals.
 */
@NullMarked
package io.vidctx.qa.eval.niah;

import org.jspecify.annotations.NullMarked;
