/** Files that hand a VideoContext to other tools: NumPy {@code .npy} arrays for Python stacks. */
@NullMarked
package io.vidctx.qa.export;

import org.jspecify.annotations.NullMarked;
