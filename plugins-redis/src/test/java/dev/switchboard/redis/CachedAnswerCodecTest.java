package dev.switchboard.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.switchboard.spi.CachedAnswer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedAnswerCodecTest {

    @Test
    void anyAnswerSurvivesEncodeThenDecode() {
        // valid UTF-16 only: a lone surrogate has no UTF-8 form and cannot round-trip through any UTF-8 store
        qt().withExamples(200)
                .forAll(
                        lists().of(integers().between(-128, 127)).ofSizeBetween(0, 200),
                        maps().of(
                                        strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 12),
                                        strings().betweenCodePoints(0, 0xD7FF).ofLengthBetween(0, 40))
                                .ofSizeBetween(0, 6),
                        longs().between(-31_557_014_167_219_200L, 31_556_889_864_403_199L),
                        integers().between(0, 999_999_999))
                .checkAssert((bodyInts, attributes, seconds, nanos) -> {
                    byte[] body = new byte[bodyInts.size()];
                    for (int i = 0; i < body.length; i++) {
                        body[i] = bodyInts.get(i).byteValue();
                    }
                    CachedAnswer in = new CachedAnswer(body, attributes, Instant.ofEpochSecond(seconds, nanos));

                    CachedAnswer out = CachedAnswerCodec.decode(CachedAnswerCodec.encode(in));

                    assertArrayEquals(body, out.body());
                    assertEquals(
                            List.copyOf(in.attributes().entrySet()),
                            List.copyOf(out.attributes().entrySet()));
                    assertEquals(in.storedAt(), out.storedAt());
                });
    }

    @Test
    void aMissingStoredAtStaysMissing() {
        CachedAnswer out =
                CachedAnswerCodec.decode(CachedAnswerCodec.encode(new CachedAnswer(new byte[0], Map.of(), null)));
        assertNull(out.storedAt());
        assertEquals(0, out.body().length);
    }

    @Test
    void truncatedBytesAreRejectedWithAClearReason() {
        byte[] full =
                CachedAnswerCodec.encode(new CachedAnswer("{\"a\":1}".getBytes(), Map.of("k", "v"), Instant.EPOCH));
        for (int cut = 0; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> CachedAnswerCodec.decode(part));
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }

    @Test
    void foreignBytesAreRejectedAsNotACachedAnswer() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CachedAnswerCodec.decode("{\"body\":\"...\"}".getBytes()));
        assertTrue(e.getMessage().contains("not a Switchboard cached answer"), e.getMessage());
    }
}
