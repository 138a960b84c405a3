package dev.descent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DescentExceptionTest {
    @Test
    void theMessageIsOneLineWhateverTheQuotedTextHolds() {
        assertEquals("data.csv row 2, column 'a': 'x\\ny\\r\\tz' is not a number",
                new DescentException("data.csv row 2, column 'a': 'x\ny\r\tz' is not a number").getMessage());
        assertEquals("key \\u001b[31mred\\u2028 \\u0000", new DescentException("key \u001b[31mred\u2028 \u0000").getMessage());
        String plain = "cannot read runs/a b (été); check the path";
        assertEquals(plain, new DescentException(plain, new RuntimeException()).getMessage());
    }
}
