/// A point on the screen, in pixels (y grows downward): how ``SVGChart``
/// hands its curves to ``PolylineSimplifier``. Internal, so the synthesized
/// `init(x:y:)` serves.
struct ScreenPoint: Sendable, Equatable {
    /// The horizontal coordinate.
    var x: Double
    /// The vertical coordinate.
    var y: Double
}

/// Ramer–Douglas–Peucker simplification of a polyline in screen space.
///
/// Keeps the end points, and every point that lies farther than
/// `tolerance` pixels from the segment joining the points kept around it,
/// so the drawn line moves by at most `tolerance` pixels. Corners are far
/// from any shortcut, so a step drop (StepLR) stays a sharp edge, while
/// 10,000 samples of a smooth cosine become a few dozen points.
///
/// ```swift
/// let line = (0...1000).map { ScreenPoint(x: Double($0), y: 5) }
/// PolylineSimplifier.simplify(line).count   // 2
/// ```
public enum PolylineSimplifier {
    /// The default tolerance: a tenth of a pixel. Rendered with
    /// `rsvg-convert`, 10,000 steps of a cosine and a cyclic schedule
    /// simplified to it differ from the full polylines only in the
    /// antialiasing of edge pixels (4 pixels by more than an eighth of
    /// their intensity); at a quarter pixel, a few hundred do.
    public static let defaultTolerance = 0.1

    /// The points of `points` to keep, in order (see the type's description).
    /// Iterative, so long curves cannot overflow the stack.
    static func simplify(_ points: [ScreenPoint], tolerance: Double = defaultTolerance) -> [ScreenPoint] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var pending: [(Int, Int)] = [(0, points.count - 1)]
        let limit = tolerance * tolerance
        while let (first, last) = pending.popLast() {
            guard last - first > 1 else { continue }
            var farthest = -1
            var farthestDistance = limit
            for index in (first + 1)..<last {
                let distance = squaredDistance(points[index], points[first], points[last])
                if distance > farthestDistance {
                    farthestDistance = distance
                    farthest = index
                }
            }
            if farthest >= 0 {
                keep[farthest] = true
                pending.append((farthest, last))
                pending.append((first, farthest))
            }
        }
        var result: [ScreenPoint] = []
        for index in points.indices where keep[index] { result.append(points[index]) }
        return result
    }

    /// The squared distance from `p` to the segment from `a` to `b`.
    static func squaredDistance(_ p: ScreenPoint, _ a: ScreenPoint, _ b: ScreenPoint) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = dx * dx + dy * dy
        var t = 0.0
        if length > 0 { t = min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length)) }
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return ex * ex + ey * ey
    }
}
