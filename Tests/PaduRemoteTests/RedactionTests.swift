@testable import PaduRemote
import XCTest

final class RedactionTests: XCTestCase {
    func testQueryKeys() {
        XCTAssertEqual(
            Redaction.redactURL("https://webapi.bps.go.id/v1/api/list/?key=abc123"),
            "https://webapi.bps.go.id/v1/api/list/?key=***"
        )
        XCTAssertEqual(
            Redaction.redactURL("https://h.example/x?access_token=a&page=2&apiKey=b&domain=0000#sig=c"),
            "https://h.example/x?access_token=***&page=2&apiKey=***&domain=0000#sig=***"
        )
        XCTAssertEqual(Redaction.redactURL("https://h.example/x?year=2024&key="), "https://h.example/x?year=2024&key=")
        XCTAssertEqual(Redaction.redactURL("https://h.example/data.csv"), "https://h.example/data.csv")
    }

    func testUserInfoAndPathKeys() {
        XCTAssertEqual(Redaction.redactURL("https://user:pw@h.example:8443/x"), "https://***@h.example:8443/x")
        XCTAssertEqual(
            Redaction.redactURL("https://webapi.bps.go.id/v1/api/list/model/data/domain/0000/var/1/key/abc123/"),
            "https://webapi.bps.go.id/v1/api/list/model/data/domain/0000/var/1/key/***/"
        )
        XCTAssertEqual(Redaction.redactURL("not a url ?token=zzz"), "not a url ?token=***")
    }

    func testSecretValuesInURL() {
        let values = Redaction.secretValues(inURL: "https://u:pw1@h/key/PATHKEY/?token=QTOKEN&x=1")
        XCTAssertTrue(values.contains("PATHKEY"))
        XCTAssertTrue(values.contains("QTOKEN"))
        XCTAssertTrue(values.contains("pw1"))
        XCTAssertFalse(values.contains("1"))
    }

    func testFreeText() {
        XCTAssertEqual(
            Redaction.redactText("failed: token=abc&x=1 and Bearer hunter22!", secrets: ["hunter22"]),
            "failed: token=***&x=1 and Bearer ***!"
        )
        XCTAssertEqual(Redaction.redactText("password=\"x y\" year=2024"), "password=\"***\" year=2024")
        XCTAssertEqual(Redaction.redactText("api_key=XYZ, year=2024"), "api_key=***, year=2024")
    }

    func testSecretNames() {
        for name in ["key", "apikey", "api_key", "apiKey", "token", "access_token", "client_secret", "password", "sig"] {
            XCTAssertTrue(Redaction.isSecretName(name), name)
        }
        for name in ["domain", "year", "page", "var", "format"] {
            XCTAssertFalse(Redaction.isSecretName(name), name)
        }
    }

    func testCacheFileNames() {
        XCTAssertEqual(CacheEntry.baseName(of: "https://h/a/b/Data%20Kemiskinan.csv?key=***"), "Data_Kemiskinan.csv")
        XCTAssertEqual(CacheEntry.baseName(of: "https://h/"), "download")
        XCTAssertEqual(CacheEntry.baseName(of: "https://h/v1/key/***/"), "download")
        XCTAssertEqual(CacheEntry.baseName(of: "https://h/../../etc/passwd"), "passwd")
        XCTAssertEqual(CacheEntry.baseName(of: "https://h/.."), "download")
    }
}
