package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.internal.cache.StreamAssembler;

/**
 * What the cache stage needs from inside the retry loop for one leaf on a miss: the provider's
 * answer before after-request hooks rewrote it (a hit runs those hooks again, so the cache keeps
 * the raw answer), and for a stream the assembler the pump feeds. Travels on the {@link LeafCall}.
 */
final class CacheCapture {
    final StreamAssembler assembler;
    volatile ObjectNode rawAnswer;

    CacheCapture(StreamAssembler assembler) {
        this.assembler = assembler;
    }
}
