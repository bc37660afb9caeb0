import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

@Suite struct WeekdaysTests {
    @Test func sundayIsZeroOrSeven() {
        #expect(Weekdays([0]) == Weekdays([7]))
        #expect(Weekdays([0]).contains(7) && Weekdays([0]).contains(0))
        #expect(Weekdays([7]).days == [7])
        #expect(!Weekdays([1, 2]).contains(7))
    }

    @Test func outOfRangeIgnored() {
        #expect(Weekdays([8, -1]).isEmpty)
        #expect(Weekdays([1, 9]).days == [1])
    }
}
