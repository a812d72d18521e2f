package uk.nhs.vaccinations.dpsexport.dps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NhsNumberTest {

	@Test
	void acceptsNumbersWithTheirModulus11CheckDigit() {
		// 943 476 5919 is the NHS Digital documentation example; 999 000 0018 is worked by hand.
		assertThat(NhsNumber.isValid("9434765919")).isTrue();
		assertThat(NhsNumber.isValid("9990000018")).isTrue();
	}

	@Test
	void rejectsWrongCheckDigitLengthAndNonDigits() {
		assertThat(NhsNumber.isValid("9434765918")).isFalse();
		assertThat(NhsNumber.isValid("943476591")).isFalse();
		assertThat(NhsNumber.isValid("94347659190")).isFalse();
		assertThat(NhsNumber.isValid("943476591X")).isFalse();
		assertThat(NhsNumber.isValid("943 476 5919")).isFalse();
		assertThat(NhsNumber.isValid(null)).isFalse();
	}

	@Test
	void hasNoCheckDigitWhenTheRemainderGivesTen() {
		// 9,9,9,0,0,0,0,0,6 weighted 10..2: 90+81+72+12 = 255; 255 mod 11 = 2; 11-2 = 9
		assertThat(NhsNumber.checkDigit("999000006")).isEqualTo(9);
		// 1,0,0,0,0,0,0,0,0: 10 mod 11 = 10; 11-10 = 1
		assertThat(NhsNumber.checkDigit("100000000")).isEqualTo(1);
		// 0,0,0,0,0,0,0,0,1: 2 mod 11 = 2 -> 9;  0,0,0,0,0,0,0,1,0: 3 -> 8; 000000005: 10 mod 11 = 10 -> 1
		// 000000000 gives 0 (11 -> 0); 100000001: 12 mod 11 = 1 -> 10, which has no check digit
		assertThat(NhsNumber.checkDigit("000000000")).isZero();
		assertThat(NhsNumber.checkDigit("100000001")).isEqualTo(-1);
	}

}
