"""What people type and see in sessions: chat, private and Q&A lines, poll questions and
answers, attachment titles. ``{topic}`` and ``{week}`` are filled in per session.
"""

from __future__ import annotations

CHAT_LINES = (
    "Good morning everyone!",
    "Hi all 👋",
    "Can everyone hear the audio?",
    "The slides are a bit blurry on my side",
    "Could you zoom in on the diagram?",
    "Where can we find the slides for this week?",
    "Is this part on the exam?",
    "Could you repeat the last point about {topic}?",
    "That example with {topic} really helped",
    "I'm still confused about {topic}",
    "Great explanation!",
    "Sorry, my connection dropped",
    "Is there a recording of last week's session?",
    "When is the assignment due?",
    "Which chapter covers {topic}?",
    "Thank you, that makes sense now",
    "Can you share the link to the reading?",
    "I think there's a typo on slide 12",
    "How does {topic} relate to last week?",
    "Could we get more practice problems on {topic}?",
    "Interesting!",
    "Agree with the previous comment",
    "Is office hours still on Thursday?",
    "Audio is cutting out for me",
    "Love this topic",
    "lol",
    "👍",
    "Could you go back one slide?",
    "Will the quiz cover {topic}?",
    "Thanks professor!",
)

BREAKOUT_LINES = (
    "Who wants to take notes?",
    "I can share my screen",
    "Let's start with question 1",
    "I think the answer involves {topic}",
    "Can someone summarize for the group?",
    "We have 5 minutes left",
    "I'll present for our group",
    "Does anyone have the handout?",
    "My mic isn't working, typing here",
    "Good point about {topic}",
)

REPLY_LINES = (
    "Same here",
    "+1",
    "I think it's in chapter 4",
    "Yes, it's on the course page",
    "Try refreshing the page",
    "It's due Friday at midnight",
    "Agreed!",
    "I had the same question",
    "Thanks!",
    "Check the pinned message",
    "It works for me now",
    "Good question",
)

PRIVATE_LINES = (
    "Hey, do you have the notes from last week?",
    "Want to study together later?",
    "Did you understand the part about {topic}?",
    "Can I ask a question about the assignment?",
    "I'll be a few minutes late to office hours",
    "Thanks for your help earlier!",
    "Is the group meeting still at 5?",
    "Could you share your slides after the session?",
)

QUESTION_LINES = (
    "Could you explain {topic} once more?",
    "How is {topic} different from what we saw last week?",
    "Will we need to know {topic} for the midterm?",
    "Is there a good reading on {topic}?",
    "What's a real-world example of {topic}?",
    "Can you go over the second example again?",
    "How should we approach problem 3 on the assignment?",
    "Are the slides going to be shared?",
    "Why does the method fail in the edge case?",
    "How many pages should the essay be?",
)

ANSWER_LINES = (
    "Good question, I'll cover it in a minute.",
    "Yes, it's part of the exam material.",
    "See the second half of chapter 5.",
    "The slides are on the course page.",
    "Think of it as a special case of the general rule.",
    "We'll do a full example next week.",
    "Please bring it to office hours.",
    "Answered live.",
    "Correct, that's exactly the idea.",
    "No, that part is optional.",
)

ATTACHMENTS = (
    "Week {week} slides (PDF)",
    "Week {week} reading",
    "Problem set {week}",
    "Lecture {week} notes",
    "Syllabus",
)

OPEN_ANSWERS = (
    "More examples please",
    "The pace was good",
    "A bit too fast",
    "The quiz part",
    "Group work",
    "The real-world cases",
    "Nothing, it was clear",
    "More time for questions",
    "The diagrams",
    "Recording the sessions",
)

# (question, options) per poll type; quizzes mark the right option with its index.
POLLS = (
    ("How confident do you feel about {topic}?", ("Very", "Somewhat", "Not yet")),
    ("Did you finish this week's reading?", ("Yes", "Partly", "No")),
    ("Which format do you prefer for next week?", ("Lecture", "Workshop", "Discussion")),
    ("Can you hear and see everything clearly?", ("Yes", "Audio issues", "Video issues")),
)
QUIZZES = (
    (
        "Which statement about {topic} is true?",
        ("Statement A", "Statement B", "Statement C", "Statement D"),
        1,
    ),
    (
        "Quick check: what is the key idea of {topic}?",
        ("Option 1", "Option 2", "Option 3", "Option 4"),
        2,
    ),
    ("Which example best illustrates {topic}?", ("Example A", "Example B", "Example C"), 0),
    ("True or false: {topic} was covered in last week's reading.", ("True", "False"), 0),
)
RATING_QUESTIONS = (
    "How would you rate today's session?",
    "How clear was the explanation of {topic}?",
    "How useful was the group work?",
)
OPEN_QUESTIONS = (
    "What should we spend more time on?",
    "One word to describe {topic}?",
    "What was the most useful part of today?",
)
CROWD_VOTES = (
    (
        "Which topic should the next session cover?",
        ("Case studies", "Exam review", "Q&A session", "Guest talk"),
    ),
    ("Vote for the best group presentation", ("Group 1", "Group 2", "Group 3", "Group 4")),
)
